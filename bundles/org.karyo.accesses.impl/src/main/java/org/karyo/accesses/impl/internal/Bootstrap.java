package org.karyo.accesses.impl.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.karyo.persistence.Select;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a fresh installation usable, idempotently, at activation: a full-administrator role when no role holds
 * {@code accesses.full_admin}; a root perimeter (from configuration) when the tree is empty; and a full-admin access on
 * the root, valid 100 years, for the configured bootstrap administrator when that user exists and holds none. The auth
 * module may create that user after this runs, so until it exists the grant is retried every 10 seconds for 10
 * minutes. Also recounts the per-perimeter user counters at activation and every {@code counters.refresh.minutes}, so
 * that accesses starting and ending with time are reflected.
 */
@Component(
        service = {},
        immediate = true)
public final class Bootstrap {

    static final String ROLE_NAME = "Full administrator";
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    private static final int GRANT_ATTEMPTS = 60;
    private static final long GRANT_RETRY_SECONDS = 10;

    private final Writes writes;
    private final RightsResolverImpl resolver;
    private final UserService users;
    private final AccessesSettings settings;
    private final ScheduledExecutorService executor;

    @Activate
    public Bootstrap(
            @Reference AccessesStore store,
            @Reference RightsRegistry registry,
            @Reference RightsResolverImpl resolver,
            @Reference UserService users,
            @Reference AccessesSettings settings) {
        this(store, resolver, users, settings);
        structure();
        if (!grantAdmin()) {
            AtomicInteger attempts = new AtomicInteger();
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            self[0] = executor.scheduleWithFixedDelay(
                    () -> {
                        try {
                            if (grantAdmin() || attempts.incrementAndGet() >= GRANT_ATTEMPTS) {
                                self[0].cancel(false);
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("Bootstrap: granting the administrator failed; will retry", e);
                        }
                    },
                    GRANT_RETRY_SECONDS,
                    GRANT_RETRY_SECONDS,
                    TimeUnit.SECONDS);
        }
        int minutes = settings.recountMinutes();
        executor.schedule(this::recountQuietly, 0, TimeUnit.SECONDS);
        if (minutes > 0) {
            executor.scheduleWithFixedDelay(this::recountQuietly, minutes, minutes, TimeUnit.MINUTES);
        }
    }

    Bootstrap(AccessesStore store, RightsResolverImpl resolver, UserService users, AccessesSettings settings) {
        this.writes = store.writes();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.users = Objects.requireNonNull(users, "users");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "karyo-accesses-bootstrap");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** The full-admin role and the root perimeter, when missing. */
    void structure() {
        writes.run("bootstrap", tx -> {
            Counters.lock(tx);
            long admins = tx.sql()
                    .count(
                            """
                    SELECT count(*) FROM karyo_accesses.roles r
                      JOIN karyo_accesses.role_rights rr ON rr.role_id = r.id
                     WHERE r.deleted_at IS NULL AND rr.right_key = ?""",
                            AccessRights.FULL_ADMIN);
            if (admins == 0) {
                String name = ROLE_NAME;
                for (int i = 2;
                        tx.sql()
                                .exists(Select.of("r.id", "karyo_accesses.roles r")
                                        .eq("r.name", name)
                                        .where("r.deleted_at IS NULL"));
                        i++) {
                    name = ROLE_NAME + " " + i;
                }
                long id = tx.insert("INSERT INTO karyo_accesses.roles (name) VALUES (?) RETURNING id", name);
                tx.update(
                        "INSERT INTO karyo_accesses.role_rights (role_id, right_key) SELECT ?, unnest(?::varchar[])",
                        id,
                        AccessRights.ALL.toArray(String[]::new));
                tx.audit(Caller.SYSTEM, AuditEvent.success("accesses.role.create", "role", id));
                LOG.info("Bootstrap: created the full-administrator role {} with the sixteen access rights", id);
            }
            if (!tx.sql()
                    .exists(Select.of("p.id", "karyo_accesses.perimeters p").where("p.deleted_at IS NULL"))) {
                String localId = settings.rootLocalId();
                Optional<Long> old = tx.sql()
                        .one(
                                Select.of("p.id", "karyo_accesses.perimeters p").eq("p.local_id", localId),
                                rs -> rs.getLong(1));
                long id;
                if (old.isPresent()) {
                    id = old.get();
                    tx.update(
                            """
                            UPDATE karyo_accesses.perimeters SET deleted_at = NULL, parent_id = NULL, level = 1,
                                   above_levels_ids = '{}', full_path = name, updated_at = now() WHERE id = ?""",
                            id);
                } else {
                    id = tx.insert(
                            """
                            INSERT INTO karyo_accesses.perimeters (local_id, name, short_name, source_value, type,
                                   level, above_levels_ids, full_path, owner)
                            VALUES (?, ?, ?, ?, ?, 1, '{}', ?, ?) RETURNING id""",
                            localId,
                            settings.rootName(),
                            settings.rootName(),
                            localId,
                            settings.rootType(),
                            settings.rootName(),
                            AccessRights.MODULE);
                }
                tx.audit(Caller.SYSTEM, AuditEvent.success("accesses.perimeter.create", "perimeter", id));
                LOG.info("Bootstrap: created the root perimeter {} (local_id {})", id, localId);
            }
            tx.afterCommit(resolver::invalidate);
        });
    }

    /**
     * Grants the bootstrap administrator a full-admin access on the root when it exists and has no valid one.
     *
     * @return whether there is nothing left to do (granted, or the user already is a full administrator)
     */
    boolean grantAdmin() {
        Optional<User> found = users.find(settings.adminUsername());
        if (found.isEmpty()) {
            LOG.info("Bootstrap: the bootstrap administrator does not exist (yet); no access granted");
            return false;
        }
        User admin = found.get();
        if (resolver.compute(admin.id()).fullAdmin()) {
            return true;
        }
        Long accessId = writes.write("access", tx -> {
            Counters.lock(tx);
            Optional<Long> root = tx.sql()
                    .one(
                            """
                    SELECT id FROM karyo_accesses.perimeters WHERE parent_id IS NULL AND deleted_at IS NULL
                     ORDER BY (local_id = ?) DESC, id LIMIT 1""",
                            rs -> rs.getLong(1),
                            settings.rootLocalId());
            Optional<Long> role = tx.sql()
                    .one(
                            """
                    SELECT r.id FROM karyo_accesses.roles r
                      JOIN karyo_accesses.role_rights rr ON rr.role_id = r.id
                     WHERE r.deleted_at IS NULL AND rr.right_key = ? ORDER BY r.id LIMIT 1""",
                            rs -> rs.getLong(1),
                            AccessRights.FULL_ADMIN);
            if (root.isEmpty() || role.isEmpty()) {
                return null;
            }
            ProfileServiceImpl.ManualProfile profile =
                    ProfileServiceImpl.manualProfile(tx, admin.id(), admin.username());
            Instant now = settings.clock().instant().truncatedTo(ChronoUnit.MILLIS);
            Instant end = now.atZone(ZoneOffset.UTC).plusYears(100).toInstant();
            long id = tx.insert(
                    """
                    INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime,
                           end_datetime, source, created_by, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                    profile.id(),
                    role.get(),
                    root.get(),
                    now,
                    end,
                    ProfileServiceImpl.MANUAL,
                    Caller.SYSTEM.id(),
                    Caller.SYSTEM.id());
            Counters.recount(tx, now);
            tx.audit(
                    Caller.SYSTEM,
                    AuditEvent.success("accesses.access.create", "access", id)
                            .with("profile_id", profile.id())
                            .with("user_id", admin.id())
                            .with("role_id", role.get())
                            .with("perimeter_id", root.get()));
            tx.afterCommit(resolver::accessesChanged);
            return id;
        });
        if (accessId == null) {
            LOG.warn("Bootstrap: no root perimeter or full-administrator role to grant the administrator");
            return false;
        }
        LOG.info(
                "Bootstrap: granted the bootstrap administrator (user {}) full administration on the root (access {},"
                        + " valid 100 years)",
                admin.id(),
                accessId);
        return true;
    }

    private void recountQuietly() {
        try {
            int changed = writes.write("user counters", tx -> {
                Counters.lock(tx);
                return Counters.recount(tx, settings.clock().instant());
            });
            LOG.debug("User counters recounted: {} perimeters changed", changed);
        } catch (RuntimeException e) {
            LOG.warn("Recounting the per-perimeter user counters failed; next attempt at the next refresh", e);
        }
    }
}
