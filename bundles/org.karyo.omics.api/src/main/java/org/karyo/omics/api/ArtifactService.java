package org.karyo.omics.api;

import java.io.InputStream;
import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The validated genomic files of projects, as records: their metadata, their QC file, changes and deletion. An
 * artifact is visible to a caller holding {@link OmicsRights#READ} on its project; any other caller, like an unknown
 * id, gets {@code NOT_FOUND}; a visible artifact without the right a change needs answers {@code FORBIDDEN}. Failures
 * as in {@link UploadService}, plus {@code PRECONDITION_FAILED} (a stale {@code expectedVersion}). The files' data are
 * read through {@link ArtifactDataService}.
 */
@ProviderType
public interface ArtifactService {

    /** Artifacts of the projects on which the caller holds {@link OmicsRights#READ}. */
    Page<Artifact> list(Caller caller, ArtifactQuery query);

    /** One artifact ({@link OmicsRights#READ}). */
    Artifact get(Caller caller, long artifactId);

    /**
     * Changes an artifact's assembly, repository reference or participant ({@link OmicsRights#UPLOAD}).
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    Artifact update(Caller caller, long artifactId, ArtifactPatch patch, OptionalLong expectedVersion);

    /**
     * Deletes an artifact ({@link OmicsRights#MANAGE}): its row at once, its objects once that committed.
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    void delete(Caller caller, long artifactId, OptionalLong expectedVersion);

    /**
     * Attaches (or replaces) the artifact's QC metrics file, CSV or JSON ({@link OmicsRights#UPLOAD}).
     *
     * @param mediaType {@code text/csv} or {@code application/json}
     * @param length its exact length
     */
    Artifact putQcMetrics(
            Caller caller, long artifactId, String fileName, String mediaType, InputStream data, long length);

    /** A presigned URL of the artifact's QC metrics file ({@link OmicsRights#READ}); audited. */
    Download qcMetrics(Caller caller, long artifactId);
}
