package org.karyo.jobs.api;

/** Thrown by {@link JobContext#throwIfCancelled()}: the job stops and ends {@code CANCELLED}. */
public class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(long jobId) {
        super("job " + jobId + " was cancelled", null, false, false);
    }
}
