package org.karyo.projects.api;

import java.io.InputStream;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Participant CSV imports of any size: a file of at most {@value #JOB_ROWS} rows is imported at once (as
 * {@link ParticipantService#importCsv(Caller, long, InputStream)} does); a larger one is checked row by row, then
 * imported by a platform job of type {@value #JOB_TYPE} (key {@code project-<id>}) that counts rows done out of the
 * file's rows, readable at {@code GET /api/jobs/{id}}. Either way the import is all or nothing.
 */
@ProviderType
public interface ParticipantImports {

    /** The platform job type of large imports. */
    String JOB_TYPE = "projects.participant-import";

    /** Files with more rows than this are imported by a job. */
    int JOB_ROWS = 10_000;

    /**
     * Imports {@code csv} into a project, or queues its import.
     *
     * @throws KaryoException as {@link ParticipantService#importCsv(Caller, long, InputStream)} does (a file with
     *     errors in its rows is refused before any job is queued)
     */
    ImportStart start(Caller caller, long projectId, InputStream csv);
}
