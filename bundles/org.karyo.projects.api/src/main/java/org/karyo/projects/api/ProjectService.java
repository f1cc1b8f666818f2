package org.karyo.projects.api;

import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Projects and their files. A project is visible to a caller who holds any right of this module on its perimeter
 * node (directly or inherited from the institution's node or above); any other caller gets {@code NOT_FOUND} for the
 * project and everything in it. Reading needs {@link ProjectRights#PROJECT_READ} (or another right of the module),
 * writing {@link ProjectRights#PROJECT_MANAGE} ({@code FORBIDDEN} when the project is visible). Every write is one
 * unit of work and audited; failures as in {@link InstitutionService}, plus {@code TOO_LARGE} for a file over the
 * configured size.
 */
@ProviderType
public interface ProjectService {

    Page<Project> list(Caller caller, ProjectQuery query);

    Project get(Caller caller, long id);

    /**
     * Creates a project and its perimeter node (type {@code project}) under the institution's node, in one unit of
     * work: if the project cannot be stored, no node is left behind. Needs {@link ProjectRights#PROJECT_MANAGE} on the
     * institution's node.
     */
    Project create(Caller caller, NewProject project);

    Project update(Caller caller, long id, ProjectUpdate update, OptionalLong expectedVersion);

    /** The project's files, by name. */
    Page<ProjectFile> files(Caller caller, long projectId, PageRequest page);

    ProjectFile file(Caller caller, long projectId, long fileId);

    /**
     * Stores a PDF, XLSX or CSV file (checked by its name's extension and its first bytes) in object storage and
     * records it. A name already used in the project is a {@code CONFLICT}.
     */
    ProjectFile addFile(Caller caller, long projectId, String name, FileCategory category, Upload upload);

    /** Forgets a file; its object is removed once the deletion committed. */
    void deleteFile(Caller caller, long projectId, long fileId);

    /** The file's bytes, streamed from object storage. */
    Download openFile(Caller caller, long projectId, long fileId);

    /** A short-lived presigned URL of the file. */
    DownloadLink fileLink(Caller caller, long projectId, long fileId);
}
