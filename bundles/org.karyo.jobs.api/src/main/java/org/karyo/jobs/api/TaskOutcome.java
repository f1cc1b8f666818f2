package org.karyo.jobs.api;

/** How a task run went. */
public enum TaskOutcome {
    /** It is running. */
    RUNNING,
    /** It returned. */
    SUCCEEDED,
    /** It threw; the run's error says why. */
    FAILED,
    /** Its node stopped while it ran. */
    INTERRUPTED,
    /** It did not run because the previous run of the task was still running. */
    SKIPPED
}
