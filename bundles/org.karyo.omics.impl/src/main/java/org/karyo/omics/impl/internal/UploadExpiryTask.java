package org.karyo.omics.impl.internal;

import java.time.Instant;
import java.util.List;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
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
 * index removed. Hourly by default, and a node that starts runs a missed firing ({@link #catchUp()}). What it cannot
 * remove the storage sweeper removes after its grace period.
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

    @Activate
    public UploadExpiryTask(@Reference OmicsStore omics) {
        this.omics = omics;
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
        return "Ends the uploads not completed before their expiry: aborts their multipart uploads (the parts go)";
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
        while (context == null || !context.cancelled()) {
            Instant now = omics.now();
            List<Long> due = sql.list(
                    OmicsReads.UPLOADS
                            .eq("u.state", UploadState.RECEIVING.name())
                            .where("u.expires_at <= ?", now)
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
                    // RECEIVING in the row and past its expiry: it reads EXPIRED
                    if (e == null || e.state(now) != UploadState.EXPIRED) {
                        continue;
                    }
                    e.state(UploadState.EXPIRED);
                    tx.audit(
                            Caller.SYSTEM,
                            AuditEvent.success("omics.upload.expire", UPLOAD, id)
                                    .with("project_id", e.projectId()));
                    MultipartUpload m = e.multipart();
                    tx.afterCommit(() -> dropParts(id, m));
                    n++;
                }
                return n;
            });
            total += ended;
            if (ended == 0) {
                break; // another writer took them: nothing more to do now
            }
        }
        if (total > 0) {
            LOG.info("{} upload(s) expired; their parts were dropped", total);
        }
        return total;
    }

    private void dropParts(long uploadId, MultipartUpload m) {
        try {
            if (m != null) {
                store.abortMultipart(m);
            }
        } catch (RuntimeException x) {
            LOG.debug("Dropping the parts of upload {} failed; the sweeper removes them", uploadId, x);
        }
        omics.deleteQuietly(Keys.uploadIndex(uploadId));
    }
}
