package org.karyo.projects.api;

/**
 * How a participant import started: done at once ({@code report}), or queued as a platform job ({@code jobId}).
 *
 * @param report what the import did, when it ran at once; else {@code null}
 * @param jobId the platform job importing it ({@code GET /api/jobs/{id}}, rows done out of the file's rows), when the
 *     file has more than {@value ParticipantImports#JOB_ROWS} rows; else {@code null}
 */
public record ImportStart(ImportReport report, Long jobId) {}
