package org.karyo.omics.impl.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.omics.api.UploadState;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster task {@value #NAME}: ends the uploads that were not completed before their expiry
 * ({@code upload.expiry.hours}): each is stored {@code EXPIRED} (it already reads so), audited as
 * {@code omics.upload.expire}, and once that commits its multipart upload is aborted (the parts go) and its declared
 * index removed. An upload left {@code COMPLETING} past its expiry whose validation job failed or was cancelled (the
 * client never completed it again) ends the same way, its staged object removed. Hourly by default, and a node that
 * starts runs a missed firing ({@link #catchUp()}). What it cannot remove the storage sweeper removes after its grace
 * period.
 */
@Component(service = {ScheduledTask.class, UploadExpiryTask.class})
public final class UploadExpiryTask implements ScheduledTask {

    static final String NAME = "omics.upload-expiry";
    /** How many uploads one unit of work ends. */
    static final int BATCH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiryTask.class);
    private static final String UPLOAD = "upload";

    private final OmicsStore omics;
    private final Sql sql;
    private final Writes writes;
    private final ObjectStore store;
    private final JobService jobs;

    @Activate
    public UploadExpiryTask(@Reference OmicsStore omics, @Reference JobService jobs) {
        this.omics = omics;
        this.jobs = jobs;
        this.sql = omics.sql();
        this.writes = omics.writes();
        this.store = omics.objects();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Ends the uploads not completed before their expiry (or whose validation failed and that were not"
                + " completed again): aborts their multipart uploads, removes what they staged";
    }

    @Override
    public String defaultSchedule() {
        return "0 10 * * * ?";
    }

    @Override
    public boolean catchUp() {
        return true;
    }

    @Override
    public void run(TaskContext context) {
        int expired = expire(context);
        context.summary("expired " + expired + " uploads");
    }

    /** Ends every upload past its expiry, in batches; returns how many. */
    int expire(TaskContext context) {
        int total = 0;
        Set<Long> skipped = new HashSet<>();
        while (context == null || !context.cancelled()) {
            Instant now = omics.now();
            List<Long> due = sql.list(
                    OmicsReads.UPLOADS
                            .where("(u.state = 'RECEIVING' OR (u.state = 'COMPLETING' AND u.job_id IS NOT NULL))")
                            .where("u.expires_at <= ?", now)
                            .whereIf(!skipped.isEmpty(), "NOT (u.id = ANY(?))", (Object) skipped.toArray(Long[]::new))
                            .orderBy("u.id")
                            .limit(BATCH, 0),
                    rs -> rs.getLong("id"));
            if (due.isEmpty()) {
                break;
            }
            int ended = writes.write(UPLOAD, tx -> {
                int n = 0;
                for (long id : due) {
                    UploadEntity e = tx.lock(UploadEntity.class, id).orElse(null);
                    if (e == null || !due(e, now)) {
                        skipped.add(id);
                        continue;
                    }
                    boolean staged = e.state(now) == UploadState.COMPLETING;
                    e.state(UploadState.EXPIRED);
                    tx.audit(
                            Caller.SYSTEM,
                            AuditEvent.success("omics.upload.expire", UPLOAD, id)
                                    .with("project_id", e.projectId()));
                    MultipartUpload m = e.multipart();
                    tx.afterCommit(() -> dropParts(id, m, staged));
                    n++;
                }
                return n;
            });
            total += ended;
            if (ended == 0 && skipped.containsAll(due)) {
                break; // what is left is not due (a job still runs, or another writer took it)
            }
        }
        if (total > 0) {
            LOG.info("{} upload(s) expired; their parts were dropped", total);
        }
        return total;
    }

    /**
     * Whether an upload ends now: receiving past its expiry (it reads EXPIRED), or completing past its expiry with its
     * validation job failed or cancelled (not running, not succeeded).
     */
    private boolean due(UploadEntity e, Instant now) {
        UploadState state = e.state(now);
        if (state == UploadState.EXPIRED) {
            return true;
        }
        if (state != UploadState.COMPLETING || e.jobId() == null || now.isBefore(e.expiresAt())) {
            return false;
        }
        JobState job = jobs.find(e.jobId()).map(Job::state).orElse(JobState.FAILED);
        return job == JobState.FAILED || job == JobState.CANCELLED;
    }

    private void dropParts(long uploadId, MultipartUpload m, boolean staged) {
        try {
            if (m != null) {
                store.abortMultipart(m);
            }
        } catch (RuntimeException x) {
            LOG.debug("Dropping the parts of upload {} failed; the sweeper removes them", uploadId, x);
        }
        omics.deleteQuietly(Keys.uploadIndex(uploadId));
        if (staged) {
            omics.deleteQuietly(Keys.uploadData(uploadId));
        }
    }
}
