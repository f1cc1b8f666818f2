package org.karyo.omics.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The omics module's wiring, once for all its services (docs/design/persistence.md): the {@code karyo-omics}
 * persistence unit, the platform's DataSource, unit of work and audit trail become one {@link Sql} for reads and one
 * {@link Writes} for writes; with them the module's configuration (PID {@value #PID}), the platform's object store
 * (the one of highest ranking: a MinIO store replaces the filesystem store when it appears) and the projects module's
 * directory, through which every right is checked on the project of an object. Starts only once the module's
 * migrations succeeded.
 */
@Component(service = OmicsStore.class, configurationPid = OmicsStore.PID)
@Designate(ocd = OmicsStore.Config.class)
public final class OmicsStore {

    static final String PID = "org.karyo.omics";
    static final String MODULE = "omics";
    private static final Logger LOG = LoggerFactory.getLogger(OmicsStore.class);

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

        @AttributeDefinition(
                name = "Validation jobs",
                description = "How many uploads are validated at once, across all nodes (the job type's concurrency)")
        int job_threads() default 2;

        @AttributeDefinition(
                name = "Job attempts",
                description =
                        "How many times a validation job may start (a stopped or killed node's job is resumed) before"
                                + " it fails")
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

    private final Sql sql;
    private final Writes writes;
    private final AuditTrail audit;
    private final ObjectStore objects;
    private final ProjectDirectory projects;
    private final Settings settings;
    private final Clock clock;

    @Activate
    public OmicsStore(
            @Reference(target = "(osgi.unit.name=karyo-omics)") JpaTemplate jpa,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=omics)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects,
            @Reference ProjectDirectory projects,
            Config config) {
        this(jpa, dataSource, uow, audit, objects, projects, settings(config), Clock.systemUTC());
        LOG.info(
                "Omics store active (schema {} at version {}, objects in {}, {})",
                schema.schema(),
                schema.version(),
                objects.describe().type(),
                settings);
    }

    OmicsStore(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            ObjectStore objects,
            ProjectDirectory projects,
            Settings settings,
            Clock clock) {
        this.sql = new Sql(dataSource, MODULE);
        this.writes = Writes.jpa(jpa, uow, sql, audit)
                .onUnique(
                        "upload_idempotency_key_unique",
                        "idempotency_key",
                        "An upload was started with this idempotency key at the same time");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
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

    Sql sql() {
        return sql;
    }

    Writes writes() {
        return writes;
    }

    ObjectStore objects() {
        return objects;
    }

    ProjectDirectory projects() {
        return projects;
    }

    Settings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    /** Now, at the database's precision. */
    Instant now() {
        return Persistence.now(clock);
    }

    /** Records the audit entry of a read (writes record theirs inside their unit of work). */
    void audit(Caller caller, AuditEvent event) {
        audit.record(caller, event);
    }

    /** Whether the caller holds {@code right} on the project (the directory answers NOT_FOUND otherwise). */
    boolean holds(Caller caller, long projectId, String right) {
        try {
            projects.require(caller, projectId, right);
            return true;
        } catch (KaryoException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** INVALID naming {@code participant} unless the participant is one of the project's. */
    void requireParticipant(long projectId, long participantId) {
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

    /** Removes an object now, logging (not throwing) a failure: the storage sweeper removes what is left. */
    void deleteQuietly(String key) {
        try {
            objects.delete(key);
        } catch (RuntimeException e) {
            LOG.debug("Deleting {} failed; the storage sweeper removes it", key, e);
        }
    }
}
