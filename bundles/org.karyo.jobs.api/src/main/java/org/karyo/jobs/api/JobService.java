package org.karyo.jobs.api;

import java.util.List;
import java.util.Optional;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's jobs. Submitting and cancelling join the caller's unit of work (the job row, the audit entry and the
 * module's own rows commit together); the job starts once that unit commits. A caller sees and cancels its own jobs;
 * a holder of {@link JobRights#MANAGE} sees and cancels every job. Others get {@code NOT_FOUND}, as for a job that
 * does not exist.
 */
@ProviderType
public interface JobService {

    /**
     * Queues a job and audits it ({@code jobs.job.submit}). With {@link NewJob#supersede()}, the unfinished jobs of the
     * same type and key are cancelled first, in the same unit of work (each audited as {@code jobs.job.cancel}).
     *
     * @throws KaryoException {@code INVALID} naming the field: an unknown type (no handler registered on this node), a
     *     key or payload too long
     */
    Job submit(Caller caller, NewJob job);

    /** One job the caller may see. */
    Job get(Caller caller, long id);

    /** One page of the jobs the caller may see that match {@code query}. */
    Page<Job> list(Caller caller, JobQuery query);

    /**
     * Cancels a job the caller may see, audited ({@code jobs.job.cancel}): a queued one ends {@code CANCELLED} at
     * once; a running one gets {@link Job#cancelRequested()} and its handler sees {@link JobContext#cancelled()}.
     *
     * @throws KaryoException {@code CONFLICT} when the job has already ended
     */
    Job cancel(Caller caller, long id);

    /** A job by id, without a visibility check: for the module that owns it, before its own checks. */
    Optional<Job> find(long id);

    /** The jobs of a type with a key, newest first, without a visibility check: for the module that owns the type. */
    List<Job> byKey(String type, String key);

    /**
     * Cancels every unfinished job of a type with a key, as {@link #cancel} does each one (audited as {@code caller}),
     * without a visibility check: for the module that owns the type. Returns the jobs as they are afterwards.
     */
    List<Job> cancelByKey(Caller caller, String type, String key);
}
