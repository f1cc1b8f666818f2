package org.karyo.omics.api;

/**
 * The life of a validation job: {@code RECEIVED -> VALIDATING -> AVAILABLE | REJECTED | FAILED | CANCELLED} (the
 * platform job's {@code QUEUED}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED} — a file refused or not —
 * and {@code CANCELLED}).
 */
public enum JobState {
    /** Queued. */
    RECEIVED,
    /** Reading the file. */
    VALIDATING,
    /** The file passed; {@link Job#artifactId()} names the artifact. */
    AVAILABLE,
    /** The file is wrong; {@link Job#errorWhere()} and {@link Job#errorMessage()} say where and why. Nothing is kept. */
    REJECTED,
    /**
     * Validation could not finish for a reason that is not the file's (storage unreachable, the platform stopped too
     * often); the parts are kept and completing the upload again starts a new job.
     */
    FAILED,
    /**
     * Someone cancelled it ({@code POST /api/jobs/{id}/cancel}); the parts are kept and completing the upload again
     * starts a new job.
     */
    CANCELLED
}
