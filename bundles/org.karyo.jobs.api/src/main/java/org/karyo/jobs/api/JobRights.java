package org.karyo.jobs.api;

import java.util.List;
import org.karyo.api.security.RightDefinition;

/** The rights of the jobs module, declared once here and registered while the module is installed. */
public final class JobRights {

    /** The module that owns these rights. */
    public static final String MODULE = "jobs";

    /** See and cancel every user's jobs (anyone sees and cancels its own). */
    public static final String MANAGE = "jobs.manage";

    /** List the scheduled tasks, run one now and read their history. */
    public static final String TASKS_MANAGE = "jobs.tasks.manage";

    private JobRights() {}

    /** Every right of the module, as the access module stores them. */
    public static List<RightDefinition> definitions() {
        return List.of(
                RightDefinition.global(MANAGE, MODULE, "Jobs and tasks", "See and cancel every user's jobs"),
                RightDefinition.global(
                        TASKS_MANAGE,
                        MODULE,
                        "Jobs and tasks",
                        "List the scheduled tasks, run one now and read their history"));
    }
}
