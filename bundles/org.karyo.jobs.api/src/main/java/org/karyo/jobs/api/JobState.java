package org.karyo.jobs.api;

/** Where a job is in its life. A job ends in exactly one of the three final states. */
public enum JobState {
    /** Waiting for a node to take it. */
    QUEUED,
    /** Taken by a node ({@link Job#node()}), whose handler runs it. */
    RUNNING,
    /** The handler finished; {@link Job#result()} holds what it returned. */
    SUCCEEDED,
    /** The handler failed, or the node running it stopped; {@link Job#error()} says why. */
    FAILED,
    /** Cancelled before it started, or stopped by its handler after a cancel request. */
    CANCELLED;

    /** Whether the job is over (SUCCEEDED, FAILED or CANCELLED): nothing changes it any more. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
