package org.karyo.jobs.api;

import java.time.Instant;
import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * A scheduled task as this node runs it.
 *
 * @param name the task's name
 * @param module the module that registered it (the name's first segment)
 * @param description what a run does
 * @param scope where it runs
 * @param schedule the Quartz cron expression in force
 * @param defaultSchedule the task's own default expression
 * @param enabled whether the schedule fires (a disabled task still runs when asked to)
 * @param nextRun when it fires next, or {@code null} when disabled
 * @param lastRun its latest run, or {@code null}
 * @param lastRunPerNode for a per-node task, each node's last run; empty for a cluster task
 */
public record TaskInfo(
        String name,
        String module,
        String description,
        TaskScope scope,
        String schedule,
        String defaultSchedule,
        boolean enabled,
        @Nullable Instant nextRun,
        @Nullable TaskRun lastRun,
        List<TaskRun> lastRunPerNode) {

    public TaskInfo {
        lastRunPerNode = lastRunPerNode == null ? List.of() : List.copyOf(lastRunPerNode);
    }
}
