package org.karyo.jobs.api;

/** What started a task run. */
public enum TaskTrigger {
    /** The schedule fired. */
    SCHEDULE,
    /** A node started after the task's last firing went unrun, and ran that firing (see {@link ScheduledTask#catchUp()}). */
    CATCH_UP,
    /** Someone ran it now ({@link TaskService#run}); a manual run is a job of its own and never takes a firing's place. */
    MANUAL
}
