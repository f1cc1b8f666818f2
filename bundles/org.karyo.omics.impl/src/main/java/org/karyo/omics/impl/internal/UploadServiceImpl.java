package org.karyo.omics.impl.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.PartUrl;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadResult;
import org.karyo.omics.api.UploadService;
import org.karyo.omics.api.UploadState;
import org.karyo.omics.hts.GenomicIndex;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.ProjectRef;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UploadService} by the house rule: reads are {@link OmicsReads} queries, writes go through the module's
 * {@link Writes}, the upload row locked while its state is checked and changed, the audit entry last. The parts and
 * the declared index stream straight to the object store (its multipart upload lists what arrived); completing submits
 * the validation job ({@link ValidationJob}, a platform job) in the unit of work that moves the upload to
 * {@code COMPLETING}. The module's view of a job ({@link Job}) is the platform job read next to its upload.
 */
@Component(service = UploadService.class)
public final class UploadServiceImpl implements UploadService {

    private static final Logger LOG = LoggerFactory.getLogger(UploadServiceImpl.class);
    private static final String UPLOAD = "upload";
    private static final String JOB = "job";

    private final OmicsStore omics;
    private final Sql sql;
    private final Writes writes;
    private final ObjectStore store;
    private final Settings settings;
    private final JobService jobs;

    /**
     * Wires the service and submits a validation job for each upload left {@code COMPLETING} without one (its job was
     * in the module's own table before validation moved onto the platform's job facility).
     *
     * @param validation the handler of the job type, so that no upload is completed before it is registered
     */
    @Activate
    public UploadServiceImpl(
            @Reference OmicsStore omics, @Reference JobService jobs, @Reference ValidationJob validation) {
        this.omics = Objects.requireNonNull(omics, "omics");
        this.sql = omics.sql();
        this.writes = omics.writes();
        this.store = omics.objects();
        this.settings = omics.settings();
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(validation, "validation");
        requeueOrphans();
    }

    /** Submits a job for every {@code COMPLETING} upload that has none (moved from the module's old job table). */
    void requeueOrphans() {
        try {
            List<Long> orphans = sql.list(
                    OmicsReads.UPLOADS
                            .eq("u.state", UploadState.COMPLETING.name())
                            .where("u.job_id IS NULL")
                            .orderBy("u.id"),
                    rs -> rs.getLong("id"));
            for (long id : orphans) {
                writes.run(UPLOAD, tx -> {
                    UploadEntity e = tx.lock(UploadEntity.class, id).orElse(null);
                    if (e == null || e.jobId() != null || e.state(omics.now()) != UploadState.COMPLETING) {
                        return;
                    }
                    org.karyo.jobs.api.Job job = jobs.submit(Caller.SYSTEM, validation(e));
                    e.jobId(job.id());
                });
            }
            if (!orphans.isEmpty()) {
                LOG.info("Submitted validation jobs for {} upload(s) left completing: {}", orphans.size(), orphans);
            }
        } catch (RuntimeException e) {
            LOG.warn("Uploads left completing could not be queued for validation; the next start tries again", e);
        }
    }

    /** The validation job of an upload. */
    private static NewJob validation(UploadEntity e) {
        return NewJob.of(Job.TYPE)
                .withKey(ValidationJob.key(e.id()))
                .withPayload(Map.of(ValidationJob.UPLOAD_ID, Long.toString(e.id())))
                .withProgress("bytes", e.size());
    }

    @Override
    public UploadResult create(Caller caller, NewUpload body) {
        UploadRules.Checked u = UploadRules.check(body, settings.maxIndexBytes());
        if (u.size() > settings.maxUploadBytes()) {
            throw new KaryoException(
                    Kind.TOO_LARGE,
                    "upload-too-large",
                    "size: the largest upload is " + settings.maxUploadBytes() + " bytes",
                    List.of(new FieldError("size", "must be at most " + settings.maxUploadBytes() + " bytes")),
                    Map.of("max_bytes", settings.maxUploadBytes()),
                    null);
        }
        ProjectRef project = omics.projects().require(caller, u.project(), OmicsRights.UPLOAD);
        if (!project.active()) {
            throw new KaryoException(
                    Kind.CONFLICT,
                    "project-inactive",
                    "project " + project.id() + " is not active: files cannot be uploaded to it",
                    null,
                    null,
                    null);
        }
        if (u.participant() != null) {
            omics.requireParticipant(project.id(), u.participant());
        }
        String fingerprint = UploadRules.fingerprint(u);
        return writes.write(UPLOAD, tx -> {
            Instant now = omics.now();
            // raw JDBC: a transaction-scoped advisory lock serialises the uploads of a project (idempotency, quota)
            sql.raw(c -> {
                try (var ps = c.prepareStatement(
                        "SELECT pg_advisory_xact_lock(hashtextextended('karyo_omics.project.' || ?, 0))")) {
                    ps.setLong(1, project.id());
                    ps.executeQuery().close();
                }
                return null;
            });
            OmicsReads.UploadRow existing = tx.sql()
                    .one(
                            OmicsReads.UPLOADS
                                    .eq("u.created_by", caller.id())
                                    .eq("u.project_id", project.id())
                                    .eq("u.idempotency_key", u.idempotencyKey()),
                            OmicsReads::upload)
                    .orElse(null);
            if (existing != null) {
                if (!existing.fingerprint().equals(fingerprint)) {
                    throw new KaryoException(
                            Kind.CONFLICT,
                            "idempotency-key-reused",
                            "idempotency_key: upload " + existing.id() + " was started with this key and another body",
                            List.of(new FieldError("idempotency_key", "was used for another upload")),
                            Map.of("upload_id", existing.id()),
                            null);
                }
                return new UploadResult(dto(existing, now), false);
            }
            if (settings.projectQuotaBytes() > 0) {
                long used = tx.sql()
                        .count(
                                "SELECT (SELECT coalesce(sum(stored_size), 0) FROM " + OmicsReads.SCHEMA
                                        + ".artifact WHERE project_id = ?) + (SELECT coalesce(sum(size), 0) FROM "
                                        + OmicsReads.SCHEMA + ".upload WHERE project_id = ? AND (state = 'COMPLETING'"
                                        + " OR (state = 'RECEIVING' AND expires_at > ?)))",
                                project.id(),
                                project.id(),
                                now);
                if (used + u.size() > settings.projectQuotaBytes()) {
                    throw new KaryoException(
                            Kind.CONFLICT,
                            "quota-exceeded",
                            "size: project " + project.id() + " holds " + used + " of its "
                                    + settings.projectQuotaBytes() + " bytes; " + u.size() + " more do not fit",
                            List.of(new FieldError("size", "exceeds the project's quota")),
                            Map.of("quota_bytes", settings.projectQuotaBytes(), "used_bytes", used),
                            null);
                }
            }
            long partSize = settings.partSizeFor(u.size());
            int partCount = (int) ((u.size() + partSize - 1) / partSize);
            UploadEntity e = new UploadEntity(
                    u, caller.id(), fingerprint, partSize, partCount, now, now.plus(settings.uploadExpiry()));
            tx.persist(e);
            MultipartUpload mpu =
                    store.startMultipart(Keys.uploadData(e.id()), PutOptions.contentType("application/octet-stream"));
            e.multipart(mpu);
            tx.audit(
                    caller,
                    AuditEvent.success("omics.upload.create", UPLOAD, e.id())
                            .with("project_id", project.id())
                            .with("kind", u.kind().name())
                            .with("size", u.size()));
            LOG.debug("Upload {} started by {} ({} parts of {} bytes)", e.id(), caller.id(), partCount, partSize);
            return new UploadResult(read(tx.sql(), e.id()).toDto(List.of(), now), true);
        });
    }

    @Override
    public Upload get(Caller caller, long uploadId) {
        return dto(visible(caller, uploadId), omics.now());
    }

    @Override
    public Page<Upload> list(Caller caller, ListQuery query) {
        Objects.requireNonNull(query, "query");
        Instant now = omics.now();
        Select q = OmicsReads.UPLOADS
                .page(query.page(), settings.maxPageSize(), OmicsReads.UPLOAD_ORDER, "u.id")
                .scope("u.project_id", omics.projects().projects(caller, OmicsRights.UPLOAD))
                .in("u.project_id", query.projects());
        return sql.page(q, rs -> OmicsReads.upload(rs).toDto(List.of(), now));
    }

    @Override
    public UploadPart putPart(Caller caller, long uploadId, int partNumber, InputStream data, long length) {
        OmicsReads.UploadRow u = visible(caller, uploadId);
        requireReceiving(caller, u);
        UploadRules.checkPart(partNumber, u.partCount());
        UploadRules.checkLength(length, u.expectedPartSize(partNumber), "part " + partNumber);
        // the store reads exactly length bytes, and refuses a body that ends sooner
        PartInfo p = store.putPart(u.multipart(), partNumber, data, length);
        LOG.debug("Part {} of upload {} received ({} bytes)", partNumber, uploadId, p.size());
        return new UploadPart(p.partNumber(), p.size(), p.etag(), p.lastModified());
    }

    @Override
    public PartUrl presignPart(Caller caller, long uploadId, int partNumber) {
        OmicsReads.UploadRow u = visible(caller, uploadId);
        requireReceiving(caller, u);
        UploadRules.checkPart(partNumber, u.partCount());
        Instant now = omics.now();
        Duration expiry = settings.presignExpiry();
        if (now.plus(expiry).isAfter(u.expiresAt())) {
            expiry = Duration.between(now, u.expiresAt());
        }
        long size = u.expectedPartSize(partNumber);
        URI url = store.presignPart(u.multipart(), partNumber, size, expiry);
        return new PartUrl(partNumber, url, "PUT", size, now.plus(expiry));
    }

    @Override
    public Upload putIndex(Caller caller, long uploadId, InputStream data, long length) {
        OmicsReads.UploadRow u = visible(caller, uploadId);
        requireReceiving(caller, u);
        if (u.index() == null) {
            throw new KaryoException(
                    Kind.CONFLICT,
                    "no-index-declared",
                    "upload " + uploadId + " declared no index; Karyo builds one while validating",
                    null,
                    null,
                    null);
        }
        UploadRules.checkLength(length, u.index().size(), "the index");
        BufferedInputStream in = new BufferedInputStream(data, GenomicIndex.TYPE_BYTES + 1);
        String sent = indexType(in);
        String key = Keys.uploadIndex(uploadId);
        try {
            store.put(
                    key,
                    in,
                    length,
                    new PutOptions("application/octet-stream", u.index().sha256()));
        } catch (KaryoException x) {
            if (x.kind() == Kind.INVALID && "checksum-mismatch".equals(x.type())) {
                throw KaryoException.invalid("index.sha256", "the index sent does not have the declared SHA-256");
            }
            throw x;
        }
        if (!u.index().type().equalsIgnoreCase(String.valueOf(sent))) {
            omics.deleteQuietly(key);
            throw wrongIndexType(u.index().type(), sent);
        }
        return writes.write(UPLOAD, tx -> {
            UploadEntity locked = tx.lock(UploadEntity.class, uploadId).orElseThrow();
            Instant now = omics.now();
            if (locked.state(now) != UploadState.RECEIVING) {
                throw notReceiving(uploadId, locked.state(now));
            }
            locked.indexReceived(true);
            tx.audit(
                    caller,
                    AuditEvent.success("omics.upload.index", UPLOAD, uploadId).with("size", length));
            return dto(read(tx.sql(), uploadId), now);
        });
    }

    /** The type of the index whose first bytes {@code in} holds ({@code tbi}, {@code csi}), or {@code null}. */
    private static String indexType(BufferedInputStream in) {
        try {
            in.mark(GenomicIndex.TYPE_BYTES + 1);
            byte[] head = in.readNBytes(GenomicIndex.TYPE_BYTES);
            in.reset();
            return GenomicIndex.typeOf(head, head.length).orElse(null);
        } catch (IOException e) {
            throw KaryoException.invalid("index", "could not be read");
        }
    }

    /**
     * UNPROCESSABLE naming {@code index.type}: the bytes sent are not the declared kind of index (a tabix {@code .tbi}
     * starts with {@code TBI\1} once inflated, a {@code .csi} with {@code CSI\1}).
     */
    private static KaryoException wrongIndexType(String declared, String sent) {
        String want = declared.toLowerCase(Locale.ROOT);
        String message = sent == null
                ? "the index sent is neither a .tbi nor a .csi index (its first bytes say so), not the declared " + want
                : "the index sent is a ." + sent + " index, not the declared " + want;
        return new KaryoException(
                Kind.UNPROCESSABLE,
                "index-type-mismatch",
                "index.type: " + message,
                List.of(new FieldError("index.type", message)),
                sent == null ? Map.of("declared", want) : Map.of("declared", want, "sent", sent),
                null);
    }

    @Override
    public Job complete(Caller caller, long uploadId) {
        return writes.write(UPLOAD, tx -> {
            UploadEntity e = tx.lock(UploadEntity.class, uploadId)
                    .filter(x -> omics.holds(caller, x.projectId(), OmicsRights.UPLOAD))
                    .orElseThrow(() -> KaryoException.notFound(UPLOAD, uploadId));
            requireCreator(caller, e.createdBy(), uploadId);
            Instant now = omics.now();
            Job latest = e.jobId() == null
                    ? null
                    : jobs.find(e.jobId())
                            .map(j -> view(j, uploadId, e.projectId(), e.state(now), e.jobId()))
                            .orElse(null);
            UploadState state = e.state(now);
            switch (state) {
                case RECEIVING -> {
                    // checked below
                }
                case COMPLETING, COMPLETED, REJECTED -> {
                    if (latest != null && latest.state() != JobState.FAILED && latest.state() != JobState.CANCELLED) {
                        return latest; // completing again: the same job
                    }
                    if (state != UploadState.COMPLETING) {
                        throw notReceiving(uploadId, state);
                    }
                }
                default -> throw notReceiving(uploadId, state);
            }
            if (e.indexDeclared() && !e.indexReceived()) {
                throw new KaryoException(
                        Kind.CONFLICT,
                        "index-missing",
                        "upload " + uploadId + " declared an index that has not been sent (PUT its /index first)",
                        null,
                        null,
                        null);
            }
            if (state == UploadState.RECEIVING) {
                List<PartInfo> parts = store.listParts(e.multipart());
                String problem = PartCheck.problem(parts, e.partCount(), e.partSize(), e.size());
                if (problem != null) {
                    throw new KaryoException(
                            Kind.CONFLICT,
                            "upload-incomplete",
                            "upload " + uploadId + " cannot complete: " + problem,
                            null,
                            Map.of("missing_parts", PartCheck.missing(parts, e.partCount())),
                            null);
                }
            }
            e.state(UploadState.COMPLETING);
            org.karyo.jobs.api.Job job = jobs.submit(caller, validation(e));
            e.jobId(job.id());
            tx.audit(
                    caller,
                    AuditEvent.success("omics.upload.complete", UPLOAD, uploadId)
                            .with("project_id", e.projectId())
                            .with("job_id", job.id()));
            return view(job, uploadId, e.projectId(), UploadState.COMPLETING, job.id());
        });
    }

    @Override
    public void abort(Caller caller, long uploadId) {
        MultipartUpload mpu = writes.write(UPLOAD, tx -> {
            UploadEntity e = tx.lock(UploadEntity.class, uploadId)
                    .filter(x -> omics.holds(caller, x.projectId(), OmicsRights.UPLOAD))
                    .orElseThrow(() -> KaryoException.notFound(UPLOAD, uploadId));
            if (!e.createdBy().equals(caller.id()) && !omics.holds(caller, e.projectId(), OmicsRights.MANAGE)) {
                throw KaryoException.forbidden(
                        "only the user who started upload " + uploadId + " or a manager of its project may abort it");
            }
            Instant now = omics.now();
            UploadState state = e.state(now);
            if (state != UploadState.RECEIVING && state != UploadState.EXPIRED) {
                throw notReceiving(uploadId, state);
            }
            e.state(UploadState.ABORTED);
            tx.audit(
                    caller,
                    AuditEvent.success("omics.upload.abort", UPLOAD, uploadId).with("project_id", e.projectId()));
            MultipartUpload m = e.multipart();
            tx.afterCommit(() -> {
                try {
                    if (m != null) {
                        store.abortMultipart(m);
                    }
                    store.delete(Keys.uploadIndex(uploadId));
                } catch (RuntimeException x) {
                    LOG.debug("Dropping the parts of upload {} failed; the sweeper removes them", uploadId, x);
                }
            });
            return m;
        });
        LOG.debug("Upload {} aborted by {} ({})", uploadId, caller.id(), mpu == null ? "not started" : "parts dropped");
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Override
    public Job job(Caller caller, long jobId) {
        org.karyo.jobs.api.Job job = jobs.find(jobId)
                .filter(j ->
                        Job.TYPE.equals(j.type()) && j.key() != null && j.key().startsWith("upload-"))
                .orElseThrow(() -> KaryoException.notFound(JOB, jobId));
        long uploadId = Long.parseLong(job.key().substring("upload-".length()));
        OmicsReads.UploadRow u = sql.one(OmicsReads.UPLOADS.eq("u.id", uploadId), OmicsReads::upload)
                .filter(x -> omics.holds(caller, x.projectId(), OmicsRights.UPLOAD))
                .orElseThrow(() -> KaryoException.notFound(JOB, jobId));
        return view(job, u.id(), u.projectId(), u.state(omics.now()), u.jobId());
    }

    @Override
    public Page<Job> jobs(Caller caller, ListQuery query) {
        Objects.requireNonNull(query, "query");
        Instant now = omics.now();
        Select q = OmicsReads.UPLOADS
                .where("u.job_id IS NOT NULL")
                .page(query.page(), settings.maxPageSize(), OmicsReads.JOB_ORDER, "u.id")
                .scope("u.project_id", omics.projects().projects(caller, OmicsRights.UPLOAD))
                .in("u.project_id", query.projects());
        Page<OmicsReads.UploadRow> uploads = sql.page(q, OmicsReads::upload);
        List<Job> views = new ArrayList<>();
        for (OmicsReads.UploadRow u : uploads.results()) {
            jobs.find(u.jobId()).ifPresent(j -> views.add(view(j, u.id(), u.projectId(), u.state(now), u.jobId())));
        }
        return new Page<>(uploads.count(), uploads.limit(), uploads.offset(), views);
    }

    /**
     * The module's view of a platform job: its state in the module's words (a failed job whose upload was rejected
     * by it is {@code REJECTED}, with where the file is wrong), its artifact, its progress in bytes.
     */
    static Job view(org.karyo.jobs.api.Job job, long uploadId, long projectId, UploadState upload, Long latestJob) {
        String where = null;
        String message = job.error();
        JobState state =
                switch (job.state()) {
                    case QUEUED -> JobState.RECEIVED;
                    case RUNNING -> JobState.VALIDATING;
                    case SUCCEEDED -> JobState.AVAILABLE;
                    case CANCELLED -> JobState.CANCELLED;
                    case FAILED -> upload == UploadState.REJECTED
                                    && latestJob != null
                                    && latestJob.longValue() == job.id()
                            ? JobState.REJECTED
                            : JobState.FAILED;
                };
        if (state == JobState.REJECTED && message != null) {
            int colon = message.indexOf(": ");
            if (colon > 0) {
                where = message.substring(0, colon);
                message = message.substring(colon + 2);
            }
        }
        String artifact = job.result().get(ValidationJob.ARTIFACT_ID);
        return new Job(
                job.id(),
                uploadId,
                projectId,
                state,
                state == JobState.AVAILABLE && artifact != null ? Long.valueOf(artifact) : null,
                where,
                state == JobState.AVAILABLE ? null : message,
                job.attempts(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt(),
                job.progress());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static OmicsReads.UploadRow read(Sql sql, long uploadId) {
        return sql.one(OmicsReads.UPLOADS.eq("u.id", uploadId), OmicsReads::upload)
                .orElseThrow(() -> KaryoException.notFound(UPLOAD, uploadId));
    }

    /** The upload, when the caller may upload to its project; else NOT_FOUND. */
    private OmicsReads.UploadRow visible(Caller caller, long uploadId) {
        return sql.one(OmicsReads.UPLOADS.eq("u.id", uploadId), OmicsReads::upload)
                .filter(u -> omics.holds(caller, u.projectId(), OmicsRights.UPLOAD))
                .orElseThrow(() -> KaryoException.notFound(UPLOAD, uploadId));
    }

    private static void requireCreator(Caller caller, String createdBy, long uploadId) {
        if (!createdBy.equals(caller.id())) {
            throw KaryoException.forbidden("only the user who started upload " + uploadId + " may send or complete it");
        }
    }

    private void requireReceiving(Caller caller, OmicsReads.UploadRow u) {
        requireCreator(caller, u.createdBy(), u.id());
        UploadState state = u.state(omics.now());
        if (state != UploadState.RECEIVING) {
            throw notReceiving(u.id(), state);
        }
    }

    private static KaryoException notReceiving(long uploadId, UploadState state) {
        return new KaryoException(
                Kind.CONFLICT,
                "upload-not-receiving",
                "upload " + uploadId + " is " + state.name().toLowerCase(Locale.ROOT) + ", not receiving",
                null,
                Map.of("state", state.name()),
                null);
    }

    /** An upload as a client sees it, with the parts storage holds while it is receiving. */
    private Upload dto(OmicsReads.UploadRow u, Instant now) {
        List<UploadPart> parts = List.of();
        if (u.state(now) == UploadState.RECEIVING && u.multipart() != null) {
            try {
                parts = store.listParts(u.multipart()).stream()
                        .sorted(Comparator.comparingInt(PartInfo::partNumber))
                        .map(p -> new UploadPart(p.partNumber(), p.size(), p.etag(), p.lastModified()))
                        .toList();
            } catch (KaryoException x) {
                if (x.kind() != Kind.NOT_FOUND) {
                    throw x;
                }
            }
        }
        return u.toDto(parts, now);
    }
}
