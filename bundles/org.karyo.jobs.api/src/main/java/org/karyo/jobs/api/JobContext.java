package org.karyo.jobs.api;

import java.util.Map;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** What a {@link JobHandler} knows of the job it runs, and how it reports back. */
@ProviderType
public interface JobContext {

    /** The job's id (safe for logs). */
    long id();

    /** The job type. */
    String type();

    /** The module's key, or {@code null}. */
    String key();

    /** What the submitter gave. */
    Map<String, String> payload();

    /**
     * Who submitted the job, for the audit entries the handler writes: the submitter's opaque id (and impersonator, and
     * whether it is a service account). It holds no right: check rights when the job is submitted, and put what the
     * job needs (the perimeters a count may read) into the payload.
     */
    Caller caller();

    /** Which start this is: 1 for the first, 2 after one interruption… */
    int attempt();

    /** The id of the node running it. */
    String node();

    /** The last checkpoint saved by an earlier start (empty at the first start or when none was saved). */
    Map<String, String> checkpoint();

    /**
     * Saves where a resumed run may start from (with the current progress), replacing the previous checkpoint. Called
     * inside the handler's own unit of work it commits with the handler's writes, which is what makes a resume exact.
     */
    void checkpoint(Map<String, String> state);

    /**
     * Reports progress in the job's unit. Cheap to call per row: it is written to the database about once a second
     * (and at the end), never per call.
     */
    void progress(long done, Long total);

    /** Reports progress, the total unchanged. */
    default void progress(long done) {
        progress(done, null);
    }

    /**
     * Whether the job should stop: someone cancelled it, its node is shutting down, or another node took it over
     * (its lease was lost). Check it between steps and return or throw soon after it turns true.
     */
    boolean cancelled();

    /** Throws {@link JobCancelledException} when {@link #cancelled()}. */
    default void throwIfCancelled() {
        if (cancelled()) {
            throw new JobCancelledException(id());
        }
    }
}
