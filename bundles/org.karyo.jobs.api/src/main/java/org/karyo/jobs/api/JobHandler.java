package org.karyo.jobs.api;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs the jobs of one type: a whiteboard service registered with the service property {@value #TYPE} naming the type
 * ({@code <module>.<name>}, the module being the one that registers it). One node runs a job at a time; the job ends
 * with what {@link #run} does:
 *
 * <ul>
 *   <li>it returns: {@code SUCCEEDED}, with the returned map as the job's result (opaque ids and counts);
 *   <li>it throws after a cancel request ({@link JobContext#throwIfCancelled()}, an interruption, anything):
 *       {@code CANCELLED};
 *   <li>it throws {@link JobFailedException} or a {@link org.karyo.api.KaryoException}: {@code FAILED} with that
 *       (client-safe) message; any other exception: {@code FAILED} with a generic message, the stack trace in the log.
 * </ul>
 *
 * <p>When the node running a job stops (a restart, a crash, {@code kill -9}), the job is taken up again by another
 * node once its lease expires, or at once by the same node when it comes back: a {@linkplain #resumable() resumable}
 * handler runs it again, reading the last {@linkplain JobContext#checkpoint() checkpoint}, up to
 * {@link #maxAttempts()} starts; otherwise the job fails with a message saying that its node stopped.
 *
 * <p>Register a handler as a component of its own that refers to neither {@link JobService} nor {@link TaskService}:
 * the engine binds handlers as a whiteboard, so a handler that also refers to the engine forms a cycle, which the
 * runtime breaks by binding the handler only some time after start, and a submit in that moment is refused with "no
 * handler". The module's own service submits the jobs; the handler only runs them. The integration tests check
 * every bundle's component descriptions for this.
 */
@ConsumerType
public interface JobHandler {

    /** The service property naming the job type this handler runs. */
    String TYPE = "karyo.job.type";

    /**
     * Runs one job. Report progress through the context, check {@link JobContext#cancelled()} between steps, and save
     * a checkpoint at each point a resumed run may start from.
     *
     * @return the result (may be empty, never holding patient data)
     */
    Map<String, String> run(JobContext context) throws Exception;

    /** Whether a job interrupted by its node's end may run again from its last checkpoint (or from the start). */
    default boolean resumable() {
        return false;
    }

    /** How many jobs of this type may run at once, across all nodes (at least 1). */
    default int concurrency() {
        return 1;
    }

    /** How many times a job of this type may be started before an interruption fails it for good (at least 1). */
    default int maxAttempts() {
        return 3;
    }
}
