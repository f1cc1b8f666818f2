package org.karyo.jobs.api;

import java.util.List;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduled tasks of this node. Every method needs {@link JobRights#TASKS_MANAGE} ({@code FORBIDDEN} otherwise);
 * an unknown task name is {@code NOT_FOUND}.
 */
@ProviderType
public interface TaskService {

    /** Every registered task, by name. */
    List<TaskInfo> list(Caller caller);

    /** One task. */
    TaskInfo get(Caller caller, String name);

    /**
     * Runs a task now, whether or not its schedule is enabled, as a job of type {@value #RUN_JOB_TYPE} keyed by the
     * task's name (audited as {@code jobs.task.run}). A per-node task runs on this node; a cluster task on whichever
     * node takes the job. The run is its own entry in the history and never takes the place of a firing.
     *
     * @return the job, queued
     */
    Job run(Caller caller, String name);

    /**
     * One page of the run history, newest first: of one task, or of all when {@code name} is {@code null}. Runs of
     * per-node tasks are in it only when started by hand.
     *
     * @throws KaryoException {@code NOT_FOUND} for a name that is neither registered nor in the history
     */
    Page<TaskRun> history(Caller caller, String name, PageRequest page);

    /** The type of the jobs that {@link #run} submits. */
    String RUN_JOB_TYPE = "jobs.task";
}
