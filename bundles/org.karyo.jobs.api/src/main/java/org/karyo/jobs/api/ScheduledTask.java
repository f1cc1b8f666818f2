package org.karyo.jobs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Periodic work: a whiteboard service. The scheduler runs it on a Quartz cron schedule: {@link #defaultSchedule()},
 * unless {@code etc/org.karyo.scheduler.cfg} says otherwise ({@code task.<name>.schedule = 0 30 3 * * ?},
 * {@code task.<name>.enabled = false}). A {@linkplain TaskScope#CLUSTER cluster} task runs once per firing across all
 * nodes, and never twice for one firing, even after a restart: each firing is recorded in PostgreSQL before it runs.
 * A run never overlaps the task's previous run (that firing is recorded as skipped). What {@link #run} throws is
 * recorded in the history and logged; the next firing runs as usual.
 */
@ConsumerType
public interface ScheduledTask {

    /** A stable name, {@code <module>.<task>} (for example {@code storage.sweep}): the configuration keys use it. */
    String name();

    /** One line for operators: what a run does. */
    String description();

    /** The Quartz cron expression used when the configuration gives none (for example {@code 0 30 3 * * ?}). */
    String defaultSchedule();

    /** Where it runs; {@link TaskScope#CLUSTER} unless overridden. */
    default TaskScope scope() {
        return TaskScope.CLUSTER;
    }

    /**
     * Whether a node that starts runs the task's latest firing when no node ran it (the platform was down at that
     * time). Off unless overridden: for work whose runs are idempotent and should not wait for the next firing.
     */
    default boolean catchUp() {
        return false;
    }

    /** One run. Check {@link TaskContext#cancelled()} in long loops: the node may be shutting down. */
    void run(TaskContext context) throws Exception;
}
