package org.karyo.maintenance.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceRights;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MaintenanceService} on PostgreSQL, by the house rule (docs/design/persistence.md): reads are
 * {@link MaintenanceReads} queries run by {@link Sql}; writes go through {@link Writes} (the
 * {@code karyo-maintenance} persistence unit in the platform's unit of work, the row locked while it is checked and
 * changed, the audit entry last). Every committed write refreshes the {@link MaintenanceGate} of this node.
 */
@Component(service = MaintenanceService.class)
public final class MaintenanceServiceImpl implements MaintenanceService {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceServiceImpl.class);
    private static final String WHAT = "maintenance phase";
    private static final String OBJECT_TYPE = "maintenance_phase";

    /** The largest page a caller may ask for. */
    static final int MAX_PAGE_SIZE = 1000;

    /** The longest {@code ?search=}. */
    static final int MAX_SEARCH = 1000;

    /** PostgreSQL's timestamptz covers more, Java's Instant far more: keep to years 1..9999 like ISO-8601. */
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final Sql sql;
    private final Writes writes;
    private final MaintenanceGate gate;
    private final Clock clock;

    @Activate
    public MaintenanceServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-maintenance)") JpaTemplate jpa,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=maintenance)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference MaintenanceGate gate) {
        this(jpa, dataSource, uow, audit, gate, Clock.systemUTC());
        LOG.info("Maintenance service active (schema {} at version {})", schema.schema(), schema.version());
    }

    /** For tests: the clock decides what "now" is (active, next, current, timestamps). */
    MaintenanceServiceImpl(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            MaintenanceGate gate,
            Clock clock) {
        this.sql = new Sql(dataSource, MaintenanceRights.MODULE);
        this.writes = Writes.jpa(jpa, uow, sql, audit);
        this.gate = Objects.requireNonNull(gate, "gate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Page<MaintenancePhase> list(Caller caller, MaintenanceQuery query, PageRequest page) {
        MaintenanceQuery q = query == null ? MaintenanceQuery.all() : query;
        if (q.search() != null) {
            Validator v = new Validator();
            v.maxLength(q.search(), "search", MAX_SEARCH);
            noNul(v, q.search(), "search");
            v.throwIfInvalid();
        }
        PageRequest p =
                page.ordering().isEmpty() ? new PageRequest(page.limit(), page.offset(), DEFAULT_ORDERING) : page;
        Instant now = now();
        return sql.page(
                MaintenanceReads.matching(q, now).page(p, MAX_PAGE_SIZE, MaintenanceReads.ORDERABLE, "p.id"),
                rs -> MaintenanceReads.phase(rs, now));
    }

    @Override
    public MaintenancePhase get(Caller caller, long id) {
        Instant now = now();
        return sql.one(MaintenanceReads.LIVE.eq("p.id", id), rs -> MaintenanceReads.phase(rs, now))
                .orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    @Override
    public MaintenancePhase create(Caller caller, NewMaintenancePhase request) {
        if (request == null) {
            throw KaryoException.invalid("body", "is required");
        }
        Validator v = new Validator();
        String subject = subject(v, request.subject(), true);
        String message = message(v, request.message());
        MaintenanceType type = request.type() == null ? MaintenanceType.PARTIAL : type(v, request.type());
        Instant start = instant(v, request.startDatetime(), "start_datetime", true);
        Instant end = instant(v, request.endDatetime(), "end_datetime", true);
        startBeforeEnd(v, start, end);
        v.throwIfInvalid();

        Instant now = now();
        MaintenancePhase created = writes.write(WHAT, tx -> {
            MaintenancePhaseEntity e = new MaintenancePhaseEntity(now);
            e.subject(subject);
            e.message(message);
            e.type(type.wireName());
            e.startDatetime(start);
            e.endDatetime(end);
            tx.persist(e);
            tx.audit(caller, AuditEvent.success("maintenance.phase.create", OBJECT_TYPE, e.id()));
            tx.afterCommit(gate::refresh);
            return e.toDto(now);
        });
        LOG.info(
                "Maintenance phase {} ({}) created by {}, from {} to {}",
                created.id(),
                created.type(),
                caller.id(),
                start,
                end);
        return created;
    }

    @Override
    public MaintenancePhase update(Caller caller, long id, MaintenancePatch patch, OptionalLong expectedVersion) {
        if (patch == null) {
            throw KaryoException.invalid("body", "is required");
        }
        Validator v = new Validator();
        String subject = patch.subject() == null ? null : subject(v, patch.subject(), false);
        String message = patch.message() == null ? null : message(v, patch.message());
        MaintenanceType type = patch.type() == null ? null : type(v, patch.type());
        Instant start = instant(v, patch.startDatetime(), "start_datetime", false);
        Instant end = instant(v, patch.endDatetime(), "end_datetime", false);
        v.throwIfInvalid();

        Instant now = now();
        MaintenancePhase updated = writes.write(WHAT, tx -> {
            MaintenancePhaseEntity e = tx.lock(MaintenancePhaseEntity.class, id, expected(expectedVersion));
            Validator after = new Validator();
            startBeforeEnd(after, start != null ? start : e.startDatetime(), end != null ? end : e.endDatetime());
            after.throwIfInvalid();
            boolean changed = false;
            if (subject != null && !subject.equals(e.subject())) {
                e.subject(subject);
                changed = true;
            }
            if (patch.message() != null && !Objects.equals(message, e.message())) {
                e.message(message);
                changed = true;
            }
            if (type != null && !type.wireName().equals(e.type())) {
                e.type(type.wireName());
                changed = true;
            }
            if (start != null && !start.equals(e.startDatetime())) {
                e.startDatetime(start);
                changed = true;
            }
            if (end != null && !end.equals(e.endDatetime())) {
                e.endDatetime(end);
                changed = true;
            }
            if (changed) {
                e.touch(now);
            }
            tx.audit(caller, AuditEvent.success("maintenance.phase.update", OBJECT_TYPE, id));
            tx.afterCommit(gate::refresh);
            return e.toDto(now);
        });
        LOG.info("Maintenance phase {} updated by {} (version {})", id, caller.id(), updated.version());
        return updated;
    }

    @Override
    public void delete(Caller caller, long id, OptionalLong expectedVersion) {
        Instant now = now();
        writes.run(WHAT, tx -> {
            tx.lock(MaintenancePhaseEntity.class, id, expected(expectedVersion)).delete(now);
            tx.audit(caller, AuditEvent.success("maintenance.phase.delete", OBJECT_TYPE, id));
            tx.afterCommit(gate::refresh);
        });
        LOG.info("Maintenance phase {} deleted by {}", id, caller.id());
    }

    @Override
    public Optional<MaintenancePhase> next(Caller caller) {
        Instant now = now();
        Optional<MaintenancePhase> active =
                sql.one(MaintenanceReads.active(now).limit(1, 0), rs -> MaintenanceReads.phase(rs, now));
        return active.isPresent()
                ? active
                : sql.one(MaintenanceReads.upcoming(now).limit(1, 0), rs -> MaintenanceReads.phase(rs, now));
    }

    @Override
    public List<MaintenancePhase> current(Caller caller) {
        Instant now = now();
        return sql.list(
                MaintenanceReads.active(now).limit(SqlPhaseLoader.MAX_PHASES, 0),
                rs -> MaintenanceReads.phase(rs, now));
    }

    private Instant now() {
        return Persistence.now(clock);
    }

    private static OptionalLong expected(OptionalLong expectedVersion) {
        return expectedVersion == null ? OptionalLong.empty() : expectedVersion;
    }

    private static String subject(Validator v, String value, boolean required) {
        String s = value == null ? null : value.strip();
        if (required || s != null) {
            v.text(s, "subject", MAX_SUBJECT);
        }
        noNul(v, s, "subject");
        return s;
    }

    /** An empty or blank message is stored as none. */
    private static String message(Validator v, String value) {
        String s = value == null || value.isBlank() ? null : value.strip();
        v.maxLength(s, "message", MAX_MESSAGE);
        noNul(v, s, "message");
        return s;
    }

    private static void noNul(Validator v, String s, String field) {
        v.check(s == null || s.indexOf('\0') < 0, field, "must not contain NUL characters");
    }

    private static MaintenanceType type(Validator v, String value) {
        try {
            return MaintenanceType.parse(value);
        } catch (IllegalArgumentException e) {
            v.check(false, "type", "must be 'partial' or 'full'");
            return null;
        }
    }

    private static Instant instant(Validator v, Instant value, String field, boolean required) {
        if (value == null) {
            if (required) {
                v.required(null, field);
            }
            return null;
        }
        if (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT)) {
            v.check(false, field, "must be between the years 1 and 9999");
            return null;
        }
        return value.truncatedTo(ChronoUnit.MICROS);
    }

    private static void startBeforeEnd(Validator v, Instant start, Instant end) {
        if (start != null && end != null) {
            v.check(!start.isAfter(end), "end_datetime", "must not be before start_datetime");
        }
    }
}
