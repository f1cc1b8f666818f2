package org.karyo.jobs.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * One run of a task.
 *
 * @param id the run's id in the history, or {@code null} for the last run of a {@linkplain TaskScope#NODE per-node}
 *     task, which keeps no history
 * @param task the task's name
 * @param slot the firing it ran for, or the time of the request for a manual run
 * @param trigger what started it
 * @param node the node that ran it
 * @param outcome how it went
 * @param error why it failed, or {@code null}
 * @param summary the task's own one-line outcome, or {@code null}
 * @param jobId the job of a manual run, or {@code null}
 * @param startedBy who started it ({@code system} for the schedule)
 * @param startedAt when it started
 * @param finishedAt when it ended, or {@code null}
 */
public record TaskRun(
        @Nullable Long id,
        String task,
        Instant slot,
        TaskTrigger trigger,
        String node,
        TaskOutcome outcome,
        @Nullable String error,
        @Nullable String summary,
        @Nullable Long jobId,
        String startedBy,
        Instant startedAt,
        @Nullable Instant finishedAt) {}
