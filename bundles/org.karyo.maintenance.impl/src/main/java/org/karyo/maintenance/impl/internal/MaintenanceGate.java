package org.karyo.maintenance.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.gate.RequestGate;
import org.karyo.api.module.SchemaReady;
import org.karyo.maintenance.api.MaintenanceRights;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance mode: refuses requests while a phase is active. {@code partial} refuses writes, {@code full} every
 * request; paths under {@code /maintenances}, {@code /health} and {@code /auth} are always admitted.
 *
 * <p>It answers from memory: the live phases that have not ended are kept in a snapshot, re-read after every write
 * on this node ({@link #refresh()}, called after commit) and by the per-node task {@link RefreshTask}
 * ({@code maintenance.refresh}, every 15 seconds on the platform's scheduler), which picks up phases written on other
 * nodes or straight into the database. Whether a phase is active is decided with the clock at request time, so phases
 * start and end on their own. A timer of this gate wakes at each start and end to log the transition (the phase's id
 * and type only).
 */
@Component(service = {RequestGate.class, MaintenanceGate.class})
public final class MaintenanceGate implements RequestGate {

    /** Paths (below {@code /api}) that no phase refuses: managing phases, health checks, logging in. */
    static final List<String> EXEMPT = List.of("/maintenances", "/health", "/auth");

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceGate.class);

    /** A phase becoming active ({@code started}) or inactive; what {@link #transitions()} logs. */
    record Transition(long phaseId, MaintenanceType type, boolean started) {}

    private final PhaseLoader loader;
    private final Clock clock;
    private final Object loading = new Object();

    private volatile List<GatePhase> phases = List.of();

    // guarded by this
    private final Map<Long, GatePhase> announced = new LinkedHashMap<>();
    private ScheduledThreadPoolExecutor scheduler;
    private ScheduledFuture<?> wake;

    @Activate
    public MaintenanceGate(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=maintenance)") SchemaReady schema) {
        this(new SqlPhaseLoader(new Sql(dataSource, MaintenanceRights.MODULE)), Clock.systemUTC());
        start();
        LOG.info("Maintenance gate active ({} phase(s) not ended)", phases.size());
    }

    /**
     * A gate that is not started: nothing is loaded and nothing scheduled until {@link #refresh()} or
     * {@link #start()}. Tests use it with a fixed or moving clock.
     */
    MaintenanceGate(PhaseLoader loader, Clock clock) {
        this.loader = loader;
        this.clock = clock;
    }

    @Override
    public void admit(GateRequest request) {
        List<GatePhase> snapshot = phases;
        if (snapshot.isEmpty() || exempt(request)) {
            return;
        }
        Instant now = clock.instant();
        boolean write = request.isWrite();
        GatePhase shown = null;
        for (GatePhase p : snapshot) {
            if (p.activeAt(now) && p.refuses(write) && (shown == null || outranks(p, shown))) {
                shown = p;
            }
        }
        if (shown != null) {
            throw refusal(shown, now, clearAt(snapshot, now, write));
        }
    }

    /**
     * Re-reads the phases now and reschedules the transition log. Never throws: when the database cannot be read, the
     * last snapshot stays in force (its phases still start and end on time) and a warning is logged.
     *
     * @return whether the phases could be read
     */
    public boolean refresh() {
        try {
            synchronized (loading) {
                phases = List.copyOf(loader.unended(clock.instant()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not re-read the maintenance phases; the {} known phase(s) stay in force", phases.size(), e);
            return false;
        }
        synchronized (this) {
            transitions();
            scheduleWake();
        }
        return true;
    }

    /**
     * Starts the transition timer and loads the phases. The timer stays local, not a task of the platform's
     * scheduler: its wake-ups are one-off instants (the next phase start or end, moved at every refresh), which no
     * cron schedule expresses, and what it does (log the transition of this node's snapshot) is this node's alone.
     * The periodic re-read is the scheduler's task {@link RefreshTask}.
     */
    void start() {
        synchronized (this) {
            if (scheduler != null) {
                throw new IllegalStateException("already started");
            }
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "karyo-maintenance-gate");
                t.setDaemon(true);
                return t;
            });
            scheduler.setRemoveOnCancelPolicy(true);
        }
        refresh();
    }

    @Deactivate
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Whether the scheduler was started and has not been shut down. */
    synchronized boolean running() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /** The ids of the phases last announced active by the transition log. */
    synchronized Set<Long> announced() {
        return Set.copyOf(announced.keySet());
    }

    /** The phases in force now (tests and the transition log). */
    List<GatePhase> phases() {
        return phases;
    }

    /**
     * Compares the phases active now with those last announced, logs each start and end, and returns them. Called by
     * the scheduler at each transition and after each refresh.
     */
    synchronized List<Transition> transitions() {
        Instant now = clock.instant();
        List<Transition> out = new ArrayList<>();
        Map<Long, GatePhase> active = new LinkedHashMap<>();
        for (GatePhase p : phases) {
            if (p.activeAt(now)) {
                active.put(p.id(), p);
            }
        }
        for (var it = announced.values().iterator(); it.hasNext(); ) {
            GatePhase p = it.next();
            if (!active.containsKey(p.id())) {
                it.remove();
                out.add(new Transition(p.id(), p.type(), false));
                LOG.info("Maintenance phase {} ({}) is over", p.id(), p.type().wireName());
            }
        }
        for (GatePhase p : active.values()) {
            if (announced.put(p.id(), p) == null) {
                out.add(new Transition(p.id(), p.type(), true));
                LOG.info(
                        "Maintenance phase {} ({}) is active, until {}",
                        p.id(),
                        p.type().wireName(),
                        p.end());
            }
        }
        return out;
    }

    /** The next instant after now at which a phase starts or ends, if any. */
    Instant nextTransition() {
        Instant now = clock.instant();
        Instant next = null;
        for (GatePhase p : phases) {
            for (Instant t : new Instant[] {p.start(), p.end()}) {
                if (t.isAfter(now) && (next == null || t.isBefore(next))) {
                    next = t;
                }
            }
        }
        return next;
    }

    // guarded by this
    private void scheduleWake() {
        if (scheduler == null || scheduler.isShutdown()) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        Instant next = nextTransition();
        if (next != null) {
            long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis() + 1);
            wake = scheduler.schedule(this::onWake, delay, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void onWake() {
        transitions();
        scheduleWake();
    }

    private static boolean exempt(GateRequest request) {
        if (request.caller() != null && request.caller().maintenanceExempt()) {
            return true;
        }
        for (String prefix : EXEMPT) {
            if (request.under(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Full beats partial; between two of the same type, the later end wins (then the higher id, for stability). */
    private static boolean outranks(GatePhase a, GatePhase b) {
        if (a.type() != b.type()) {
            return a.type() == MaintenanceType.FULL;
        }
        int byEnd = a.end().compareTo(b.end());
        return byEnd != 0 ? byEnd > 0 : a.id() > b.id();
    }

    /**
     * The first instant from {@code now} on at which no phase refuses the request: the latest end of the refusing
     * phases, followed through phases that start before (or as) the previous ones end.
     */
    private static Instant clearAt(List<GatePhase> snapshot, Instant now, boolean write) {
        Instant t = now;
        while (true) {
            Instant latest = null;
            for (GatePhase p : snapshot) {
                if (p.activeAt(t)
                        && p.refuses(write)
                        && (latest == null || p.end().isAfter(latest))) {
                    latest = p.end();
                }
            }
            if (latest == null) {
                return t;
            }
            t = latest; // strictly later than t, since the phase is active at t
        }
    }

    private static KaryoException refusal(GatePhase phase, Instant now, Instant clear) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("subject", phase.subject());
        if (phase.message() != null) {
            ext.put("message", phase.message());
        }
        ext.put("type", phase.type().wireName());
        ext.put("maintenance_start", phase.start().toString());
        ext.put("maintenance_end", phase.end().toString());
        ext.put("active", Boolean.TRUE);
        return KaryoException.unavailable(
                "maintenance",
                phase.message() != null ? phase.message() : phase.subject(),
                ext,
                retryAfter(now, clear));
    }

    /** Whole seconds until {@code clear}, rounded up, at least one. */
    static Duration retryAfter(Instant now, Instant clear) {
        Duration d = Duration.between(now, clear);
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
