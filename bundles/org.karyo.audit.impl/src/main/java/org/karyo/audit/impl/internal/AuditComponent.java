package org.karyo.audit.impl.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.karyo.api.EnvOverrides;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.AuditService;
import org.karyo.audit.api.VerifyReport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The audit trail ({@link AuditTrail}) and its reading and verification ({@link AuditService}) on PostgreSQL, schema
 * {@code karyo_audit}.
 *
 * <p>{@link #record} appends one row inside the caller's unit of work (or its own, outside one): it locks the one-row
 * {@code chain_head} ({@code SELECT ... FOR UPDATE}), so the lock is held until the write commits and concurrent
 * writers append one after the other, then inserts the row with {@code seq = head + 1} and {@code prev_hash = head
 * hash} and moves the head. A write that rolls back takes its row and its head move with it: no row, no gap. Since
 * the lock serialises every audited write until it commits, modules call {@code record} last in their unit of work
 * (after their own row locks, which also avoids lock-order deadlocks).
 *
 * <p>{@link #checkpoint()} signs the chain head with the HMAC key (see {@link HmacKeys}) and appends it to the
 * checkpoint file (see {@link Checkpoints}): every {@code checkpoint.interval.minutes} through the platform's scheduler
 * (the per-node task {@link CheckpointTask}), and once more at deactivation.
 */
// immediate: the final checkpoint at deactivation must sign the head the platform ran with, whether or not anyone
// holds the services at the moment (a delayed component would stop and start with its users)
@Component(
        service = {AuditTrail.class, AuditService.class},
        configurationPid = AuditComponent.PID,
        immediate = true)
@Designate(ocd = AuditComponent.Config.class)
public final class AuditComponent implements AuditTrail, AuditService {

    static final String PID = "org.karyo.audit";
    static final String MDC_REQUEST_ID = "requestId";
    static final String MDC_CLIENT_IP = "clientIp";
    private static final Logger LOG = LoggerFactory.getLogger(AuditComponent.class);

    /** Configuration of the audit module (PID {@value #PID}); environment variables win. */
    @ObjectClassDefinition(
            name = "Karyo audit trail",
            description = "Hash-chained audit trail: checkpoints and paging (the HMAC key comes from the environment"
                    + " variable KARYO_AUDIT_HMAC_KEY only)")
    public @interface Config {
        @AttributeDefinition(
                name = "Checkpoint interval (minutes)",
                description = "How often the chain head is signed and appended to the checkpoint file (1 to 10080)."
                        + " Env KARYO_AUDIT_CHECKPOINT_INTERVAL_MINUTES",
                min = "1",
                max = "10080")
        int checkpoint_interval_minutes() default 60;

        @AttributeDefinition(
                name = "Checkpoint file",
                description = "Where signed checkpoints are appended, one JSON line each; empty:"
                        + " ${karaf.base}/var/audit/checkpoints.jsonl. Keep it off the database's disk and back it"
                        + " up. Env KARYO_AUDIT_CHECKPOINT_FILE")
        String checkpoint_file() default "";

        @AttributeDefinition(
                name = "Largest page",
                description = "The largest ?limit= of GET /api/audit (at least 20). Env KARYO_AUDIT_MAX_PAGE_SIZE",
                min = "20")
        int max_page_size() default 1000;
    }

    private final DataSource dataSource;
    private final UnitOfWork uow;
    private final AuditSettings settings;
    private final Checkpoints checkpoints;
    private final ChainVerifier verifier;
    private final Clock clock;
    private final UnaryOperator<String> requestContext;
    private final Object checkpointLock = new Object();
    private long lastCheckpointSeq = -1;

    /** Activated by DS once the module's schema is migrated. */
    @Activate
    public AuditComponent(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference UnitOfWork uow,
            @Reference(target = "(karyo.module=audit)") SchemaReady schema,
            Config config,
            BundleContext context) {
        this(dataSource, uow, config, EnvOverrides.system(), context.getProperty("karaf.base"), schema);
    }

    private AuditComponent(
            DataSource dataSource,
            UnitOfWork uow,
            Config config,
            EnvOverrides env,
            String karafBase,
            SchemaReady schema) {
        this(
                dataSource,
                uow,
                resolve(config, env, karafBase),
                HmacKeys.load(env, AuditSettings.varDir(karafBase)),
                Clock.systemUTC(),
                MDC::get);
        LOG.info(
                "Audit trail active (schema {} at version {}, checkpoints {} every {} min to {}, max.page.size={})",
                schema.schema(),
                schema.version(),
                checkpoints.hasKey() ? "ON" : "OFF (no HMAC key)",
                settings.checkpointInterval().toMinutes(),
                settings.checkpointFile(),
                settings.maxPageSize());
    }

    /**
     * @param key the checkpoint HMAC key, or {@code null} for no checkpoints
     * @param requestContext reads the request context (the MDC) by key
     */
    AuditComponent(
            DataSource dataSource,
            UnitOfWork uow,
            AuditSettings settings,
            byte[] key,
            Clock clock,
            UnaryOperator<String> requestContext) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestContext = Objects.requireNonNull(requestContext, "requestContext");
        this.checkpoints = new Checkpoints(settings.checkpointFile(), key);
        this.verifier = new ChainVerifier(checkpoints);
    }

    private static AuditSettings resolve(Config config, EnvOverrides env, String karafBase) {
        try {
            return AuditSettings.resolve(config, env, karafBase);
        } catch (IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            throw e;
        }
    }

    /** Signs the chain head one last time. */
    @Deactivate
    void deactivate() {
        if (checkpoints.hasKey()) {
            try {
                checkpoint();
            } catch (IOException | SQLException | RuntimeException e) {
                LOG.warn("The final audit checkpoint could not be written", e);
            }
        }
        LOG.info("Audit trail stopped");
    }

    // ---- AuditTrail --------------------------------------------------------------------------------------------

    @Override
    public void record(Caller caller, AuditEvent event) {
        EventRules.check(caller, event);
        String requestId = EventRules.context(requestContext.apply(MDC_REQUEST_ID));
        String client = EventRules.context(requestContext.apply(MDC_CLIENT_IP));
        long seq = uow.required(() -> {
            try {
                return append(uow.connection(), caller, event, requestId, client);
            } catch (SQLException e) {
                throw new IllegalStateException("the audit entry could not be written", e);
            }
        });
        LOG.debug("Audit entry {}: {} by {}", seq, event.action(), caller.id());
    }

    private long append(Connection c, Caller caller, AuditEvent event, String requestId, String client)
            throws SQLException {
        AuditSql.Head head = AuditSql.head(c, true); // the chain lock, held until the unit of work ends
        AuditRow row = new AuditRow(
                head.seq() + 1,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS),
                caller.id(),
                caller.impersonatedBy().orElse(null),
                caller.serviceAccount(),
                event.action(),
                event.objectType(),
                event.objectId(),
                event.outcome().name(),
                new TreeMap<>(event.details()),
                requestId,
                client,
                head.hash(),
                null);
        row = row.withHash(ChainHash.of(row));
        AuditSql.append(c, row);
        return row.seq();
    }

    // ---- AuditService ------------------------------------------------------------------------------------------

    @Override
    public Page<AuditEntry> list(Caller caller, AuditQuery query, PageRequest page) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.hasRight(READ_RIGHT)) {
            throw KaryoException.forbidden("reading the audit trail needs the right " + READ_RIGHT);
        }
        AuditQuery q = query == null ? AuditQuery.all() : query;
        PageRequest p =
                page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, AuditQuery.DEFAULT_ORDERING) : page;
        checkPage(q, p);
        AuditSql.Statement select = AuditSql.page(q, p.limit(), p.offset(), p.ordering());
        try (Connection c = dataSource.getConnection()) {
            List<AuditEntry> results = new ArrayList<>();
            try (PreparedStatement ps = AuditSql.prepare(c, select);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.add(AuditSql.row(rs, 1).toEntry());
                }
            }
            long count;
            if (p.offset() == 0 && results.size() < p.limit()) {
                count = results.size();
            } else {
                try (PreparedStatement ps = AuditSql.prepare(c, AuditSql.count(q));
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            return new Page<>(count, p.limit(), p.offset(), results);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit trail failed", e);
        }
    }

    private void checkPage(AuditQuery q, PageRequest p) {
        List<FieldError> errors = new ArrayList<>();
        if (p.limit() < 1 || p.limit() > settings.maxPageSize()) {
            errors.add(new FieldError("limit", "must be between 1 and " + settings.maxPageSize()));
        }
        if (p.offset() < 0) {
            errors.add(new FieldError("offset", "must be at least 0"));
        }
        if (p.ordering().stream().anyMatch(s -> !AuditQuery.ORDERABLE.contains(s.field()))) {
            errors.add(new FieldError("ordering", "allowed: seq"));
        }
        if (q.action() != null
                && q.action().indexOf('*') >= 0
                && q.action().indexOf('*') != q.action().length() - 1) {
            errors.add(new FieldError("action", "'*' is allowed only at the end (a prefix match)"));
        }
        if (q.from() != null && q.to() != null && !q.from().isBefore(q.to())) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
    }

    @Override
    public VerifyReport verify() {
        long started = System.nanoTime();
        VerifyReport report;
        // no checkpoint may be written meanwhile: one of a head newer than the walk's snapshot would look like rows
        // deleted at the end
        synchronized (checkpointLock) {
            try {
                report = uow.active() ? verifier.verify(uow.connection()) : verifyInSnapshot();
            } catch (SQLException e) {
                throw new IllegalStateException("verifying the audit trail failed", e);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (report.ok()) {
            LOG.info(
                    "Audit chain verified: {} entries, {} checkpoints, {} ms",
                    report.entries(),
                    report.checkpointsChecked(),
                    ms);
        } else {
            LOG.error("Audit chain BROKEN at entry {}: {}", report.firstBrokenSeq(), report.reason());
        }
        return report;
    }

    /** Verifies on a connection of its own, read-only, in a transaction (so that the rows stream). */
    private VerifyReport verifyInSnapshot() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                return verifier.verify(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        }
    }

    // ---- checkpoints -------------------------------------------------------------------------------------------

    /** Whether checkpoints are signed (there is an HMAC key). */
    boolean signsCheckpoints() {
        return checkpoints.hasKey();
    }

    /** How often the chain head should be signed ({@code checkpoint.interval.minutes}). */
    Duration checkpointInterval() {
        return settings.checkpointInterval();
    }

    /**
     * Signs the committed chain head and appends it to the checkpoint file, unless the chain is empty or the head is
     * the one signed last.
     *
     * @return whether a checkpoint was written
     */
    boolean checkpoint() throws IOException, SQLException {
        if (!checkpoints.hasKey()) {
            return false;
        }
        synchronized (checkpointLock) {
            AuditSql.Head head;
            try (Connection c = dataSource.getConnection()) {
                head = AuditSql.head(c, false);
            }
            if (head.seq() == 0 || head.seq() == lastCheckpointSeq) {
                return false;
            }
            checkpoints.append(head.seq(), head.hash(), Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
            lastCheckpointSeq = head.seq();
            LOG.debug("Audit checkpoint at entry {}", head.seq());
            return true;
        }
    }
}
