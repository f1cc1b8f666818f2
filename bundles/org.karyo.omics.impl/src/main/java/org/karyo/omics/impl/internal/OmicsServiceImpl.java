package org.karyo.omics.impl.internal;

import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.OptimisticLockException;
import javax.persistence.TypedQuery;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.OmicsService;
import org.karyo.omics.api.PartUrl;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadResult;
import org.karyo.omics.api.UploadState;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.projects.api.ProjectRef;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OmicsService} on PostgreSQL ({@code karyo-omics} persistence unit, schema {@code karyo_omics}) and the
 * platform's {@link ObjectStore}. Rights are checked on the project of every object through the projects module's
 * {@link ProjectDirectory}; a caller who may not see the project gets {@code NOT_FOUND}. Writes run in the
 * platform's unit of work and are audited last inside it; objects are written before the row that references them
 * commits and deleted after the row's deletion committed. Validation jobs run on the {@link JobRunner}'s executor,
 * shut down with the component.
 *
 * <p>Immediate on purpose: the component owns background work. Activated at start, it requeues the validation jobs a
 * stopped platform left behind without waiting for a first caller, and it is not deactivated (interrupting a job)
 * whenever its last consumer lets it go, as a delayed component would be.
 */
@Component(service = OmicsService.class, configurationPid = OmicsServiceImpl.PID, immediate = true)
@Designate(ocd = OmicsServiceImpl.Config.class)
public final class OmicsServiceImpl implements OmicsService {

    static final String PID = "org.karyo.omics";
    private static final Logger LOG = LoggerFactory.getLogger(OmicsServiceImpl.class);
    private static final String ARTIFACT = "artifact";
    private static final String UPLOAD = "upload";
    private static final String JOB = "job";
    private static final Set<String> QC_TYPES = Set.of("text/csv", "application/json");

    /** Configuration of the omics module (PID {@value #PID}). */
    @ObjectClassDefinition(
            name = "Karyo omics",
            description = "Genomic file uploads, validation, region queries and htsget (karyo-omics)")
    public @interface Config {
        @AttributeDefinition(name = "Largest upload", description = "The largest genomic file in bytes (413 above)")
        long max_upload_bytes() default 200L << 30;

        @AttributeDefinition(
                name = "Project quota",
                description =
                        "The most bytes one project may hold: stored artifacts plus uploads in flight; 0 for none")
        long project_quota_bytes() default 0L;

        @AttributeDefinition(
                name = "Part size",
                description = "Bytes per upload part (at least 5 MiB; raised for files that would need more than"
                        + " 10000 parts)")
        long part_size_bytes() default 64L << 20;

        @AttributeDefinition(name = "Presigned part URL expiry", description = "Seconds a part upload URL works")
        long presign_expiry_seconds() default 3600;

        @AttributeDefinition(name = "htsget ticket expiry", description = "Seconds the URLs of an htsget ticket work")
        long ticket_expiry_seconds() default 600;

        @AttributeDefinition(name = "Download expiry", description = "Seconds a presigned download URL works")
        long download_expiry_seconds() default 300;

        @AttributeDefinition(
                name = "Upload expiry",
                description = "Hours an upload may stay incomplete; its parts are then left to the storage sweeper"
                        + " (keep it at most the sweeper's grace period)")
        long upload_expiry_hours() default 24;

        @AttributeDefinition(name = "Largest index", description = "The largest .tbi/.csi a client may send, in bytes")
        long index_max_bytes() default 256L << 20;

        @AttributeDefinition(name = "Largest QC file", description = "The largest QC metrics file, in bytes")
        long qc_max_bytes() default 10L << 20;

        @AttributeDefinition(
                name = "Largest uncompressed file",
                description = "Validation refuses a file that inflates beyond this many bytes")
        long ingest_max_uncompressed_bytes() default 1L << 40;

        @AttributeDefinition(
                name = "Largest compression ratio",
                description = "Validation refuses a file that inflates more than this (a bgzip bomb)")
        int ingest_max_compression_ratio() default 100;

        @AttributeDefinition(name = "Longest line", description = "Validation refuses a text line longer than this")
        int ingest_max_line_bytes() default 64 << 20;

        @AttributeDefinition(name = "Validation threads", description = "How many uploads are validated at once")
        int job_threads() default 2;

        @AttributeDefinition(
                name = "Job attempts",
                description = "How many times a job may be interrupted by a stop of the platform before it fails")
        int job_max_attempts() default 3;

        @AttributeDefinition(name = "Index cache", description = "How many artifacts' indexes are kept in memory")
        int index_cache_entries() default 64;

        @AttributeDefinition(name = "Regions per query", description = "The most regions of one region query")
        int max_regions() default 100;

        @AttributeDefinition(name = "Largest page", description = "The largest ?limit= of a list (at least 20)")
        int max_page_size() default 1000;

        @AttributeDefinition(
                name = "Read-ahead threads",
                description = "How many threads, shared by all region queries, inflate BGZF blocks ahead of a query"
                        + " that reads more than 1 MiB (a whole contig), while the query's own thread writes records;"
                        + " a query finding them all busy inflates on its own thread. 0 turns read-ahead off")
        int read_ahead_threads() default 2;
    }

    private final JpaTemplate jpa;
    private final DataSource dataSource;
    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final ObjectStore store;
    private final ProjectDirectory projects;
    private final Settings settings;
    private final Clock clock;
    private final JobRunner jobs;
    private final Reading reading;

    @Activate
    public OmicsServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-omics)") JpaTemplate jpa,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=omics)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore store,
            @Reference ProjectDirectory projects,
            Config config) {
        this(jpa, dataSource, uow, audit, store, projects, settings(config), Clock.systemUTC());
        LOG.info(
                "Omics service active (schema {} at version {}, store {}, {})",
                schema.schema(),
                schema.version(),
                store.describe().type(),
                settings);
        start();
    }

    OmicsServiceImpl(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            ObjectStore store,
            ProjectDirectory projects,
            Settings settings,
            Clock clock) {
        this.jpa = Objects.requireNonNull(jpa, "jpa");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.store = Objects.requireNonNull(store, "store");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jobs = new JobRunner(jpa, dataSource, uow, audit, store, settings, clock);
        this.reading = new Reading(store, projects, audit, settings, clock);
    }

    static Settings settings(Config c) {
        return new Settings(
                c.max_upload_bytes(),
                c.project_quota_bytes(),
                c.part_size_bytes(),
                Duration.ofSeconds(c.presign_expiry_seconds()),
                Duration.ofSeconds(c.ticket_expiry_seconds()),
                Duration.ofSeconds(c.download_expiry_seconds()),
                Duration.ofHours(c.upload_expiry_hours()),
                c.index_max_bytes(),
                c.qc_max_bytes(),
                new IngestLimits(
                        c.ingest_max_uncompressed_bytes(), c.ingest_max_compression_ratio(), c.ingest_max_line_bytes()),
                c.job_threads(),
                c.job_max_attempts(),
                c.index_cache_entries(),
                c.max_regions(),
                c.max_page_size(),
                c.read_ahead_threads());
    }

    /** Requeues the jobs a previous run left behind (called at activation). */
    void start() {
        jobs.recover();
    }

    @Deactivate
    void stop() {
        jobs.shutdown();
        reading.close();
    }

    /** The job runner (tests wait on it). */
    JobRunner jobRunner() {
        return jobs;
    }

    // ---- uploads ----------------------------------------------------------------------------------------------

    @Override
    public UploadResult createUpload(Caller caller, NewUpload body) {
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
        ProjectRef project = projects.require(caller, u.project(), OmicsRights.UPLOAD);
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
            requireParticipant(project.id(), u.participant());
        }
        String fingerprint = UploadRules.fingerprint(u);
        return write(em -> {
            Instant now = now();
            sql(() -> {
                OmicsSql.lockProject(uow.connection(), project.id());
                return null;
            });
            List<UploadEntity> existing = em.createQuery(
                            "SELECT u FROM UploadEntity u WHERE u.createdBy = :by AND u.projectId = :project"
                                    + " AND u.idempotencyKey = :key",
                            UploadEntity.class)
                    .setParameter("by", caller.id())
                    .setParameter("project", project.id())
                    .setParameter("key", u.idempotencyKey())
                    .getResultList();
            if (!existing.isEmpty()) {
                UploadEntity e = existing.get(0);
                if (!e.fingerprint().equals(fingerprint)) {
                    throw new KaryoException(
                            Kind.CONFLICT,
                            "idempotency-key-reused",
                            "idempotency_key: upload " + e.id() + " was started with this key and another body",
                            List.of(new FieldError("idempotency_key", "was used for another upload")),
                            Map.of("upload_id", e.id()),
                            null);
                }
                return new UploadResult(dto(em, e, now), false);
            }
            if (settings.projectQuotaBytes() > 0) {
                long used = sql(() -> OmicsSql.projectUsage(uow.connection(), project.id(), now));
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
            em.persist(e);
            em.flush();
            MultipartUpload mpu =
                    store.startMultipart(Keys.uploadData(e.id()), PutOptions.contentType("application/octet-stream"));
            e.multipart(mpu);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.upload.create", UPLOAD, e.id())
                            .with("project_id", project.id())
                            .with("kind", u.kind().name())
                            .with("size", u.size()));
            LOG.debug("Upload {} started by {} ({} parts of {} bytes)", e.id(), caller.id(), partCount, partSize);
            return new UploadResult(e.toDto(List.of(), null, now), true);
        });
    }

    @Override
    public Upload upload(Caller caller, long uploadId) {
        return read(em -> dto(em, visibleUpload(em, caller, uploadId, false), now()));
    }

    @Override
    public Page<Upload> uploads(Caller caller, ListQuery query) {
        Instant now = now();
        return listed(
                caller,
                query,
                "upload",
                UploadEntity.class,
                (em, e) -> e.toDto(List.of(), latestJobId(em, e.id()), now));
    }

    @Override
    public UploadPart putPart(Caller caller, long uploadId, int partNumber, InputStream data, long length) {
        UploadEntity e = read(em -> visibleUpload(em, caller, uploadId, false));
        requireReceiving(caller, e);
        UploadRules.checkPart(partNumber, e.partCount());
        UploadRules.checkLength(length, e.expectedPartSize(partNumber), "part " + partNumber);
        PartInfo p = store.putPart(e.multipart(), partNumber, new ExactLength(data, length), length);
        LOG.debug("Part {} of upload {} received ({} bytes)", partNumber, uploadId, p.size());
        return new UploadPart(p.partNumber(), p.size(), p.etag(), p.lastModified());
    }

    @Override
    public PartUrl presignPart(Caller caller, long uploadId, int partNumber) {
        UploadEntity e = read(em -> visibleUpload(em, caller, uploadId, false));
        requireReceiving(caller, e);
        UploadRules.checkPart(partNumber, e.partCount());
        Instant now = now();
        Duration expiry = settings.presignExpiry();
        if (now.plus(expiry).isAfter(e.expiresAt())) {
            expiry = Duration.between(now, e.expiresAt());
        }
        URI url = store.presignPart(e.multipart(), partNumber, expiry);
        return new PartUrl(partNumber, url, "PUT", e.expectedPartSize(partNumber), now.plus(expiry));
    }

    @Override
    public Upload putIndex(Caller caller, long uploadId, InputStream data, long length) {
        UploadEntity e = read(em -> visibleUpload(em, caller, uploadId, false));
        requireReceiving(caller, e);
        if (!e.indexDeclared()) {
            throw new KaryoException(
                    Kind.CONFLICT,
                    "no-index-declared",
                    "upload " + uploadId + " declared no index; Karyo builds one while validating",
                    null,
                    null,
                    null);
        }
        UploadRules.checkLength(length, e.index().size(), "the index");
        try {
            store.put(
                    Keys.uploadIndex(uploadId),
                    new ExactLength(data, length),
                    length,
                    new PutOptions("application/octet-stream", e.index().sha256()));
        } catch (KaryoException x) {
            if (x.kind() == Kind.INVALID) {
                throw KaryoException.invalid("index.sha256", "the index sent does not have the declared SHA-256");
            }
            throw x;
        }
        return write(em -> {
            UploadEntity locked = em.find(UploadEntity.class, uploadId, LockModeType.PESSIMISTIC_WRITE);
            Instant now = now();
            if (locked.state(now) != UploadState.RECEIVING) {
                throw notReceiving(locked, now);
            }
            locked.indexReceived(true);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.upload.index", UPLOAD, uploadId).with("size", length));
            return dto(em, locked, now);
        });
    }

    @Override
    public Job complete(Caller caller, long uploadId) {
        return write(em -> {
            UploadEntity e = visibleUpload(em, caller, uploadId, true);
            requireCreator(caller, e);
            Instant now = now();
            JobEntity latest = latestJob(em, uploadId);
            UploadState state = e.state(now);
            switch (state) {
                case RECEIVING -> {
                    // checked below
                }
                case COMPLETING, COMPLETED, REJECTED -> {
                    if (latest != null && latest.state() != JobState.FAILED) {
                        return latest.toDto(); // completing again: the same job
                    }
                    if (state != UploadState.COMPLETING) {
                        throw notReceiving(e, now);
                    }
                }
                default -> throw notReceiving(e, now);
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
            JobEntity j = new JobEntity(e.id(), e.projectId(), caller.id(), now);
            em.persist(j);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.upload.complete", UPLOAD, uploadId)
                            .with("project_id", e.projectId())
                            .with("job_id", j.id()));
            long jobId = j.id();
            uow.afterCommit(() -> jobs.submit(jobId));
            return j.toDto();
        });
    }

    @Override
    public void abort(Caller caller, long uploadId) {
        MultipartUpload mpu = write(em -> {
            UploadEntity e = visibleUpload(em, caller, uploadId, true);
            if (!e.createdBy().equals(caller.id()) && !holds(caller, e.projectId(), OmicsRights.MANAGE)) {
                throw KaryoException.forbidden(
                        "only the user who started upload " + uploadId + " or a manager of its project may abort it");
            }
            Instant now = now();
            UploadState state = e.state(now);
            if (state != UploadState.RECEIVING && state != UploadState.EXPIRED) {
                throw notReceiving(e, now);
            }
            e.state(UploadState.ABORTED);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.upload.abort", UPLOAD, uploadId).with("project_id", e.projectId()));
            MultipartUpload m = e.multipart();
            uow.afterCommit(() -> {
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
        return read(em -> {
            JobEntity j = em.find(JobEntity.class, jobId);
            if (j == null || !holds(caller, j.projectId(), OmicsRights.UPLOAD)) {
                throw KaryoException.notFound(JOB, jobId);
            }
            return j.toDto();
        });
    }

    @Override
    public Page<Job> jobs(Caller caller, ListQuery query) {
        return listed(caller, query, "job", JobEntity.class, (em, j) -> j.toDto());
    }

    /** A page of uploads or jobs of the projects where the caller may upload. */
    private <E, D> Page<D> listed(
            Caller caller, ListQuery query, String table, Class<E> type, BiFunction<EntityManager, E, D> dto) {
        Objects.requireNonNull(query, "query");
        checkPage(query.page().limit());
        Scope scope = projects.projects(caller, OmicsRights.UPLOAD);
        if (scope.isEmpty()) {
            return new Page<>(0, query.page().limit(), query.page().offset(), List.of());
        }
        OmicsSql.IdPage ids = jdbc(c -> OmicsSql.ids(
                c,
                table,
                scope,
                query.projects(),
                query.page().ordering(),
                query.page().limit(),
                query.page().offset()));
        List<D> results = read(em ->
                byIds(em, type, ids.ids()).stream().map(e -> dto.apply(em, e)).toList());
        return new Page<>(ids.total(), query.page().limit(), query.page().offset(), results);
    }

    // ---- artifacts --------------------------------------------------------------------------------------------

    @Override
    public Page<Artifact> artifacts(Caller caller, ArtifactQuery query) {
        Objects.requireNonNull(query, "query");
        checkPage(query.page().limit());
        Scope scope = projects.projects(caller, OmicsRights.READ);
        if (scope.isEmpty()) {
            return new Page<>(0, query.page().limit(), query.page().offset(), List.of());
        }
        OmicsSql.IdPage ids = jdbc(c -> OmicsSql.artifactIds(c, scope, query));
        List<Artifact> results = read(em -> byIds(em, ArtifactEntity.class, ids.ids()).stream()
                .map(ArtifactEntity::toDto)
                .toList());
        return new Page<>(ids.total(), query.page().limit(), query.page().offset(), results);
    }

    @Override
    public Artifact artifact(Caller caller, long artifactId) {
        return read(em ->
                visibleArtifact(em, caller, artifactId, OmicsRights.READ, false).toDto());
    }

    @Override
    public Artifact update(Caller caller, long artifactId, ArtifactPatch patch, OptionalLong expectedVersion) {
        UploadRules.check(patch);
        return write(em -> {
            ArtifactEntity a = visibleArtifact(em, caller, artifactId, OmicsRights.UPLOAD, true);
            checkVersion(a, expectedVersion);
            List<String> changed = new ArrayList<>();
            patch.assembly().ifPresent(x -> {
                a.assembly(UploadRules.normalise(x));
                changed.add("assembly");
            });
            patch.repository().ifPresent(x -> {
                a.repository(x.orElse(null));
                changed.add("repository");
            });
            patch.participant().ifPresent(x -> {
                if (x.isPresent()) {
                    requireParticipant(a.projectId(), x.get());
                }
                a.participant(x.orElse(null));
                changed.add("participant");
            });
            if (!changed.isEmpty()) {
                a.touch(now());
            }
            try {
                em.flush();
            } catch (OptimisticLockException x) {
                throw KaryoException.stale(ARTIFACT, artifactId);
            }
            audit.record(
                    caller,
                    AuditEvent.success("omics.artifact.update", ARTIFACT, artifactId)
                            .with("fields", String.join(",", changed)));
            return a.toDto();
        });
    }

    @Override
    public void delete(Caller caller, long artifactId, OptionalLong expectedVersion) {
        write(em -> {
            ArtifactEntity a = visibleArtifact(em, caller, artifactId, OmicsRights.MANAGE, true);
            checkVersion(a, expectedVersion);
            em.remove(a);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.artifact.delete", ARTIFACT, artifactId)
                            .with("project_id", a.projectId()));
            uow.afterCommit(() -> {
                reading.evict(artifactId);
                deleteObjects(Keys.artifactPrefix(artifactId));
            });
            return null;
        });
        LOG.debug("Artifact {} deleted by {}", artifactId, caller.id());
    }

    @Override
    public Artifact putQcMetrics(
            Caller caller, long artifactId, String fileName, String mediaType, InputStream data, long length) {
        String type = mediaType == null
                ? ""
                : mediaType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!QC_TYPES.contains(type)) {
            throw KaryoException.invalid("Content-Type", "must be text/csv or application/json");
        }
        String name =
                fileName == null || fileName.isBlank() ? (type.equals("text/csv") ? "qc.csv" : "qc.json") : fileName;
        if (name.length() > UploadRules.FILE_NAME_MAX || name.contains("/") || name.contains("\\")) {
            throw KaryoException.invalid("file_name", "must be a plain file name of at most 255 characters");
        }
        if (length > settings.maxQcBytes()) {
            throw new KaryoException(
                    Kind.TOO_LARGE,
                    "qc-too-large",
                    "the largest QC metrics file is " + settings.maxQcBytes() + " bytes",
                    null,
                    Map.of("max_bytes", settings.maxQcBytes()),
                    null);
        }
        if (length == 0) {
            throw KaryoException.invalid("Content-Length", "the QC metrics file is empty");
        }
        UploadRules.checkLength(length, length < 0 ? 1 : length, "the QC metrics file");
        read(em -> visibleArtifact(em, caller, artifactId, OmicsRights.UPLOAD, false));
        String key = Keys.artifactPrefix(artifactId) + "qc-" + UUID.randomUUID()
                + (type.equals("text/csv") ? ".csv" : ".json");
        ObjectInfo info = store.put(key, new ExactLength(data, length), length, PutOptions.contentType(type));
        return write(em -> {
            ArtifactEntity a = visibleArtifact(em, caller, artifactId, OmicsRights.UPLOAD, true);
            String old = a.qcKey();
            Instant now = now();
            a.qc(key, name, type, info.size(), info.sha256(), now);
            a.touch(now);
            em.flush();
            audit.record(
                    caller,
                    AuditEvent.success("omics.artifact.qc", ARTIFACT, artifactId)
                            .with("size", info.size()));
            if (old != null) {
                uow.afterCommit(() -> deleteObject(old));
            }
            return a.toDto();
        });
    }

    @Override
    public Download qcMetrics(Caller caller, long artifactId) {
        ArtifactEntity a = read(em -> visibleArtifact(em, caller, artifactId, OmicsRights.READ, false));
        if (a.qcKey() == null) {
            throw new KaryoException(
                    Kind.NOT_FOUND,
                    "not-found",
                    "artifact " + artifactId + " has no QC metrics file",
                    null,
                    null,
                    null);
        }
        Instant now = now();
        URI url = store.presignGet(a.qcKey(), settings.downloadExpiry(), a.qcFileName());
        audit.record(caller, AuditEvent.success("omics.artifact.qc_download", ARTIFACT, artifactId));
        return new Download(url, a.qcFileName(), a.qcSize(), a.qcSha256(), null, now.plus(settings.downloadExpiry()));
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    @Override
    // samples().size() is called for its effect: EclipseLink loads the lazy list while the entity manager is open
    @SuppressWarnings("ReturnValueIgnored")
    public RecordStream records(Caller caller, long artifactId, RecordsRequest request) {
        Reading.Parsed parsed = reading.parse(request);
        ArtifactEntity a = read(em -> {
            ArtifactEntity e = visibleArtifact(em, caller, artifactId, OmicsRights.READ, false);
            e.samples().size(); // load them while the entity manager is open
            return e;
        });
        return reading.records(caller, a, parsed);
    }

    @Override
    // samples().size() is called for its effect: EclipseLink loads the lazy list while the entity manager is open
    @SuppressWarnings("ReturnValueIgnored")
    public HtsgetTicket htsget(Caller caller, long artifactId, HtsgetRequest request) {
        Reading.checkHtsget(request);
        ArtifactEntity a = read(em -> {
            ArtifactEntity e = visibleArtifact(em, caller, artifactId, OmicsRights.READ_GENOTYPES, false);
            e.samples().size();
            return e;
        });
        return reading.htsget(caller, a, request);
    }

    @Override
    // samples().size() is called for its effect: EclipseLink loads the lazy list while the entity manager is open
    @SuppressWarnings("ReturnValueIgnored")
    public Download download(Caller caller, long artifactId) {
        ArtifactEntity a = read(em -> {
            ArtifactEntity e = visibleArtifact(em, caller, artifactId, OmicsRights.READ_GENOTYPES, false);
            e.samples().size();
            return e;
        });
        return reading.download(caller, a);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The upload, when the caller may upload to its project; else NOT_FOUND. */
    private UploadEntity visibleUpload(EntityManager em, Caller caller, long id, boolean lock) {
        UploadEntity e = lock
                ? em.find(UploadEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(UploadEntity.class, id);
        if (e == null || !holds(caller, e.projectId(), OmicsRights.UPLOAD)) {
            throw KaryoException.notFound(UPLOAD, id);
        }
        return e;
    }

    /** The artifact, when the caller holds {@code right} on its project; else NOT_FOUND. */
    private ArtifactEntity visibleArtifact(EntityManager em, Caller caller, long id, String right, boolean lock) {
        ArtifactEntity a = lock
                ? em.find(ArtifactEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(ArtifactEntity.class, id);
        if (a == null || !holds(caller, a.projectId(), right)) {
            throw KaryoException.notFound(ARTIFACT, id);
        }
        return a;
    }

    /** Whether the caller holds {@code right} on the project (the directory answers NOT_FOUND otherwise). */
    private boolean holds(Caller caller, long projectId, String right) {
        return Reading.holds(projects, caller, projectId, right);
    }

    private void requireParticipant(long projectId, long participantId) {
        try {
            projects.participant(projectId, participantId);
        } catch (KaryoException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                throw KaryoException.invalid(
                        "participant", "participant " + participantId + " is not in project " + projectId);
            }
            throw e;
        }
    }

    private static void requireCreator(Caller caller, UploadEntity e) {
        if (!e.createdBy().equals(caller.id())) {
            throw KaryoException.forbidden("only the user who started upload " + e.id() + " may send or complete it");
        }
    }

    private void requireReceiving(Caller caller, UploadEntity e) {
        requireCreator(caller, e);
        Instant now = now();
        if (e.state(now) != UploadState.RECEIVING) {
            throw notReceiving(e, now);
        }
    }

    private static KaryoException notReceiving(UploadEntity e, Instant now) {
        UploadState state = e.state(now);
        return new KaryoException(
                Kind.CONFLICT,
                "upload-not-receiving",
                "upload " + e.id() + " is " + state.name().toLowerCase(Locale.ROOT) + ", not receiving",
                null,
                Map.of("state", state.name()),
                null);
    }

    private static void checkVersion(ArtifactEntity a, OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != a.version()) {
            throw KaryoException.stale(ARTIFACT, a.id());
        }
    }

    private void checkPage(int limit) {
        if (limit > settings.maxPageSize()) {
            throw KaryoException.invalid("limit", "must be between 1 and " + settings.maxPageSize());
        }
    }

    /** An upload as a client sees it, with the parts storage holds while it is receiving. */
    private Upload dto(EntityManager em, UploadEntity e, Instant now) {
        List<UploadPart> parts = List.of();
        if (e.state(now) == UploadState.RECEIVING && e.multipart() != null) {
            try {
                parts = store.listParts(e.multipart()).stream()
                        .sorted(Comparator.comparingInt(PartInfo::partNumber))
                        .map(p -> new UploadPart(p.partNumber(), p.size(), p.etag(), p.lastModified()))
                        .toList();
            } catch (KaryoException x) {
                if (x.kind() != Kind.NOT_FOUND) {
                    throw x;
                }
            }
        }
        return e.toDto(parts, latestJobId(em, e.id()), now);
    }

    private static JobEntity latestJob(EntityManager em, long uploadId) {
        List<JobEntity> found = em.createQuery(
                        "SELECT j FROM JobEntity j WHERE j.uploadId = :upload ORDER BY j.id DESC", JobEntity.class)
                .setParameter("upload", uploadId)
                .setMaxResults(1)
                .getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static Long latestJobId(EntityManager em, long uploadId) {
        JobEntity j = latestJob(em, uploadId);
        return j == null ? null : j.id();
    }

    /** Entities by id, in the order of {@code ids}. */
    private static <T> List<T> byIds(EntityManager em, Class<T> type, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        TypedQuery<T> q = em.createQuery("SELECT x FROM " + type.getSimpleName() + " x WHERE x.id IN :ids", type);
        q.setParameter("ids", ids);
        if (type == ArtifactEntity.class) {
            // one IN query per collection for the whole page, not one per artifact
            for (String c : List.of("samples", "contigs", "definitions", "aliases", "parquetColumns")) {
                q.setHint("eclipselink.batch", "x." + c);
            }
            q.setHint("eclipselink.batch.type", "IN");
            // read-only: the page is only converted to DTOs, so nothing needs change tracking at commit
            q.setHint("eclipselink.read-only", "true");
        }
        Map<Long, T> byId = new HashMap<>();
        for (T t : q.getResultList()) {
            byId.put(idOf(t), t);
        }
        List<T> out = new ArrayList<>();
        for (Long id : ids) {
            T t = byId.get(id);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static long idOf(Object entity) {
        if (entity instanceof ArtifactEntity a) {
            return a.id();
        }
        if (entity instanceof UploadEntity u) {
            return u.id();
        }
        return ((JobEntity) entity).id();
    }

    private void deleteObjects(String prefix) {
        try {
            String after = null;
            while (true) {
                List<ObjectInfo> page = store.list(prefix, after, 1000);
                for (ObjectInfo o : page) {
                    deleteObject(o.key());
                }
                if (page.size() < 1000) {
                    return;
                }
                after = page.get(page.size() - 1).key();
            }
        } catch (RuntimeException e) {
            LOG.debug("Listing {} for deletion failed; the storage sweeper removes what is left", prefix, e);
        }
    }

    private void deleteObject(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            LOG.debug("Deleting {} failed; the storage sweeper removes it", key, e);
        }
    }

    private <T> T write(Function<EntityManager, T> work) {
        return uow.required(() -> jpa.txExpr(TransactionType.Required, work::apply));
    }

    private <T> T read(Function<EntityManager, T> work) {
        return jpa.txExpr(TransactionType.Required, work::apply);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("an omics query failed", e);
        }
    }

    private <T> T jdbc(JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("an omics query failed", e);
        }
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
