package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/**
 * How a participant import started: done at once ({@code report}), or queued as a platform job ({@code jobId}).
 *
 * @param report what the import did, when it ran at once; else {@code null}
 * @param jobId the platform job importing it ({@code GET /api/jobs/{id}}, rows done out of the file's rows), when the
 *     file has more than {@value ParticipantImports#JOB_ROWS} rows; else {@code null}
 */
public record ImportStart(@Nullable ImportReport report, @Nullable Long jobId) {}
