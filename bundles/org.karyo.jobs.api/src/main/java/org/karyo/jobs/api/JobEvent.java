package org.karyo.jobs.api;

import java.util.Objects;

/**
 * A change of a job, as {@link JobListener}s hear of it.
 *
 * @param kind what changed
 * @param job the job as it is after the change
 */
public record JobEvent(Kind kind, Job job) {

    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(job, "job");
    }

    /** What changed. */
    public enum Kind {
        /** The job was queued. */
        SUBMITTED,
        /** A node started it. */
        STARTED,
        /** Its progress moved (at most about once a second per job). */
        PROGRESS,
        /** Someone asked to cancel it while it ran. */
        CANCEL_REQUESTED,
        /** It went back to the queue after its node stopped. */
        REQUEUED,
        /** It ended: see {@link Job#state()}. */
        FINISHED
    }
}
