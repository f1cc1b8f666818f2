package org.karyo.jobs.api;

import java.time.Instant;
import java.util.Map;
import org.karyo.api.json.Nullable;

/**
 * One job, as stored. Its payload stays with its handler and is not part of this view.
 *
 * @param id the job's id
 * @param type what kind of job it is, {@code <module>.<name>} (for example {@code omics.validation}): the type of the
 *     {@link JobHandler} that runs it
 * @param module the module that owns the type (the type's first segment)
 * @param key the key the module chose to find its jobs again (an upload id, a request id), or {@code null}
 * @param owner the opaque id of whoever submitted it
 * @param state where it is
 * @param progress how far it is
 * @param attempts how many times a node started it
 * @param maxAttempts how many starts it gets before an interruption fails it for good
 * @param node the node running it, or that ran it last; {@code null} before it started
 * @param cancelRequested whether someone asked to cancel it while it ran
 * @param error why it failed or was cancelled (client-safe), or {@code null}
 * @param result what its handler returned (opaque ids and counts), empty until it succeeded
 * @param createdAt when it was submitted
 * @param startedAt when it last started, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 * @param updatedAt when its state or progress last changed
 */
public record Job(
        long id,
        String type,
        String module,
        @Nullable String key,
        String owner,
        JobState state,
        Progress progress,
        int attempts,
        int maxAttempts,
        @Nullable String node,
        boolean cancelRequested,
        @Nullable String error,
        Map<String, String> result,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        Instant updatedAt) {

    public Job {
        result = result == null ? Map.of() : Map.copyOf(result);
    }
}
