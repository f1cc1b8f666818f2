package org.karyo.maintenance.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.OptimisticLockException;
import javax.persistence.criteria.CriteriaBuilder;
import javax.persistence.criteria.CriteriaQuery;
import javax.persistence.criteria.Order;
import javax.persistence.criteria.Path;
import javax.persistence.criteria.Predicate;
import javax.persistence.criteria.Root;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MaintenanceService} on JPA; every committed write refreshes the {@link MaintenanceGate} of this node. */
@Component(service = MaintenanceService.class)
public final class MaintenanceServiceImpl implements MaintenanceService {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceServiceImpl.class);
    private static final String WHAT = "maintenance phase";

    /** PostgreSQL's timestamptz covers more, Java's Instant far more: keep to years 1..9999 like ISO-8601. */
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Wire name of an orderable field -> entity attribute. */
    private static final Map<String, String> ORDER_ATTRIBUTES = Map.of(
            "start_datetime", "startDatetime",
            "end_datetime", "endDatetime",
            "subject", "subject",
            "created_at", "createdAt");

    private final JpaTemplate jpa;
    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final MaintenanceGate gate;
    private final Clock clock;

    @Activate
    public MaintenanceServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-maintenance)") JpaTemplate jpa,
            @Reference(target = "(karyo.module=maintenance)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference MaintenanceGate gate) {
        this(jpa, uow, audit, gate, Clock.systemUTC());
        LOG.info("Maintenance service active (schema {} at version {})", schema.schema(), schema.version());
    }

    /** For tests: the clock decides what "now" is (active, next, current, timestamps). */
    MaintenanceServiceImpl(JpaTemplate jpa, UnitOfWork uow, AuditTrail audit, MaintenanceGate gate, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.jpa = jpa;
        this.uow = uow;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public Page<MaintenancePhase> list(Caller caller, MaintenanceQuery query, PageRequest page) {
        MaintenanceQuery q = query == null ? MaintenanceQuery.all() : query;
        List<Sort> order = ordering(page.ordering());
        Instant now = now();
        return read(
                em -> {
                    CriteriaBuilder cb = em.getCriteriaBuilder();
                    CriteriaQuery<Long> cq = cb.createQuery(Long.class);
                    Root<MaintenancePhaseEntity> cr = cq.from(MaintenancePhaseEntity.class);
                    cq.select(cb.count(cr)).where(filters(cb, cr, q, now));
                    long count = em.createQuery(cq).getSingleResult();
                    if (count <= page.offset()) {
                        return new Page<>(count, page.limit(), page.offset(), List.of());
                    }
                    CriteriaQuery<MaintenancePhaseEntity> rq = cb.createQuery(MaintenancePhaseEntity.class);
                    Root<MaintenancePhaseEntity> r = rq.from(MaintenancePhaseEntity.class);
                    List<Order> orders = new ArrayList<>();
                    for (Sort s : order) {
                        Path<Object> by = r.get(ORDER_ATTRIBUTES.get(s.field()));
                        orders.add(s.descending() ? cb.desc(by) : cb.asc(by));
                    }
                    orders.add(cb.asc(r.get("id")));
                    rq.select(r).where(filters(cb, r, q, now)).orderBy(orders);
                    List<MaintenancePhase> rows = em
                            .createQuery(rq)
                            .setFirstResult(page.offset())
                            .setMaxResults(page.limit())
                            .getResultList()
                            .stream()
                            .map(e -> e.toDto(now))
                            .toList();
                    return new Page<>(count, page.limit(), page.offset(), rows);
                });
    }

    @Override
    public MaintenancePhase get(Caller caller, long id) {
        Instant now = now();
        return read(em -> live(em, id).toDto(now));
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
        MaintenancePhase created = write(caller, "maintenance.phase.create", null, em -> {
            MaintenancePhaseEntity e = new MaintenancePhaseEntity();
            e.setSubject(subject);
            e.setMessage(message);
            e.setType(type.wireName());
            e.setStartDatetime(start);
            e.setEndDatetime(end);
            e.setCreatedAt(now);
            e.setModifiedAt(now);
            em.persist(e);
            em.flush();
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
        MaintenancePhase updated = write(caller, "maintenance.phase.update", id, em -> {
            MaintenancePhaseEntity e = live(em, id);
            checkVersion(e, expectedVersion);
            Validator after = new Validator();
            startBeforeEnd(after, start != null ? start : e.getStartDatetime(), end != null ? end : e.getEndDatetime());
            after.throwIfInvalid();
            boolean changed = false;
            if (subject != null && !subject.equals(e.getSubject())) {
                e.setSubject(subject);
                changed = true;
            }
            if (patch.message() != null && !Objects.equals(message, e.getMessage())) {
                e.setMessage(message);
                changed = true;
            }
            if (type != null && !type.wireName().equals(e.getType())) {
                e.setType(type.wireName());
                changed = true;
            }
            if (start != null && !start.equals(e.getStartDatetime())) {
                e.setStartDatetime(start);
                changed = true;
            }
            if (end != null && !end.equals(e.getEndDatetime())) {
                e.setEndDatetime(end);
                changed = true;
            }
            if (changed) {
                e.setModifiedAt(now);
                em.flush();
            }
            return e.toDto(now);
        });
        LOG.info("Maintenance phase {} updated by {} (version {})", id, caller.id(), updated.version());
        return updated;
    }

    @Override
    public void delete(Caller caller, long id, OptionalLong expectedVersion) {
        Instant now = now();
        write(caller, "maintenance.phase.delete", id, em -> {
            MaintenancePhaseEntity e = live(em, id);
            checkVersion(e, expectedVersion);
            e.setDeletedAt(now);
            e.setModifiedAt(now);
            em.flush();
            return null;
        });
        LOG.info("Maintenance phase {} deleted by {}", id, caller.id());
    }

    @Override
    public Optional<MaintenancePhase> next(Caller caller) {
        Instant now = now();
        return read(em -> {
            List<MaintenancePhaseEntity> current = activeQuery(em, now, 1);
            if (!current.isEmpty()) {
                return Optional.of(current.get(0).toDto(now));
            }
            return em
                    .createQuery(
                            "select p from MaintenancePhaseEntity p where p.deletedAt is null"
                                    + " and p.startDatetime > :now order by p.startDatetime asc, p.id asc",
                            MaintenancePhaseEntity.class)
                    .setParameter("now", now)
                    .setMaxResults(1)
                    .getResultList()
                    .stream()
                    .findFirst()
                    .map(e -> e.toDto(now));
        });
    }

    @Override
    public List<MaintenancePhase> current(Caller caller) {
        Instant now = now();
        return read(em -> activeQuery(em, now, JpaPhaseLoader.MAX_PHASES).stream()
                .map(e -> e.toDto(now))
                .toList());
    }

    private static List<MaintenancePhaseEntity> activeQuery(EntityManager em, Instant now, int max) {
        return em.createQuery(
                        "select p from MaintenancePhaseEntity p where p.deletedAt is null and p.startDatetime <= :now"
                                + " and p.endDatetime > :now order by p.endDatetime desc, p.id desc",
                        MaintenancePhaseEntity.class)
                .setParameter("now", now)
                .setMaxResults(max)
                .getResultList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T read(Function<EntityManager, T> work) {
        return jpa.txExpr(TransactionType.Required, work::apply);
    }

    /**
     * One write in the unit of work, audited in the same transaction; after it commits, this node's gate re-reads the
     * phases.
     */
    private <T> T write(Caller caller, String action, Long id, Function<EntityManager, T> work) {
        try {
            return uow.required(() -> {
                T result = jpa.txExpr(TransactionType.Required, work::apply);
                Object objectId = id != null ? id : result instanceof MaintenancePhase p ? p.id() : null;
                audit.record(caller, AuditEvent.success(action, "maintenance_phase", objectId));
                uow.afterCommit(gate::refresh);
                return result;
            });
        } catch (RuntimeException e) {
            throw translate(e, id);
        }
    }

    /** A concurrent change detected at flush is the same as a stale If-Match. */
    private static RuntimeException translate(RuntimeException e, Long id) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KaryoException k) {
                return k;
            }
            if (t instanceof OptimisticLockException && id != null) {
                return KaryoException.stale(WHAT, id);
            }
        }
        return e;
    }

    private static MaintenancePhaseEntity live(EntityManager em, long id) {
        MaintenancePhaseEntity e = em.find(MaintenancePhaseEntity.class, id);
        if (e == null || e.getDeletedAt() != null) {
            throw KaryoException.notFound(WHAT, id);
        }
        return e;
    }

    private static void checkVersion(MaintenancePhaseEntity e, OptionalLong expected) {
        if (expected != null && expected.isPresent() && expected.getAsLong() != e.getVersion()) {
            throw KaryoException.stale(WHAT, e.getId());
        }
    }

    /** The ordering to apply, checked against the whitelist (REST checks it too; Java callers may not). */
    private static List<Sort> ordering(List<Sort> sorts) {
        List<Sort> effective = sorts == null || sorts.isEmpty() ? DEFAULT_ORDERING : sorts;
        for (Sort s : effective) {
            if (!ORDER_ATTRIBUTES.containsKey(s.field())) {
                throw KaryoException.invalid(
                        "ordering",
                        "cannot order by '" + s.field() + "'; allowed: "
                                + String.join(", ", ORDERABLE.stream().sorted().toList()));
            }
        }
        return effective;
    }

    private static Predicate[] filters(
            CriteriaBuilder cb, Root<MaintenancePhaseEntity> r, MaintenanceQuery q, Instant now) {
        List<Predicate> where = new ArrayList<>();
        Path<Instant> start = r.get("startDatetime");
        Path<Instant> end = r.get("endDatetime");
        where.add(cb.isNull(r.get("deletedAt")));
        if (q.minStartDatetime() != null) {
            where.add(cb.greaterThanOrEqualTo(start, q.minStartDatetime()));
        }
        if (q.maxEndDatetime() != null) {
            where.add(cb.lessThanOrEqualTo(end, q.maxEndDatetime()));
        }
        if (!q.types().isEmpty()) {
            where.add(r.get("type")
                    .in(q.types().stream().map(MaintenanceType::wireName).toList()));
        }
        if (q.active() != null) {
            Predicate active = cb.and(cb.lessThanOrEqualTo(start, now), cb.greaterThan(end, now));
            where.add(q.active() ? active : cb.not(active));
        }
        if (q.search() != null && !q.search().isBlank()) {
            String pattern = "%" + escapeLike(q.search().trim().toLowerCase(Locale.ROOT)) + "%";
            where.add(cb.like(cb.lower(r.get("subject")), pattern, '\\'));
        }
        return where.toArray(Predicate[]::new);
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
