package org.karyo.auth.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-off after failed attempts, per key ({@code user:<userId>}, {@code ip:<address>}, {@code mfa:<userId>}): a key
 * may fail a few times freely ({@code backoff.ip.free} for {@code ip:} keys, {@code backoff.user.free} for the others),
 * then each further failure blocks it for {@code base · 2^(n - free - 1)} (1 s, 2 s, 4 s, … by default) up to
 * {@code backoff.max.seconds}: a delay that slows guessing down, never a lock-out an attacker could impose on someone.
 * A key's count starts again after {@code backoff.reset.minutes} without failure, and on {@link #success}.
 *
 * <p>Failures are stored in {@code karyo_auth.login_failures} so that a restart does not reset them; the blocked keys
 * are also held in memory, so that {@link #check} costs no database round trip (one node per database).
 */
@Component(service = Backoff.class)
public class Backoff {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    private final Sql sql;
    private final Writes writes;
    private final AuthSettings settings;
    private final Clock clock;
    /** Keys with a stored failure row, and until when each is blocked ({@link Instant#MIN}: not blocked). */
    private final ConcurrentMap<String, Instant> known = new ConcurrentHashMap<>();

    /**
     * Gates activation on the migrated schema (a mandatory static reference is bound before the constructor runs); a
     * field, so that the activation constructor does not have the arity of the public test constructor.
     */
    @Reference(target = "(karyo.module=auth)")
    private SchemaReady schema;

    @Activate
    public Backoff(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, settings, Clock.systemUTC());
    }

    /** For tests (also of other packages of the bundle). */
    public Backoff(DataSource dataSource, UnitOfWork uow, AuditTrail audit, AuthSettings settings, Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        // the login and second-factor services audit the attempts; counting them records nothing
        this.writes =
                Writes.statements(Objects.requireNonNull(uow, "uow"), sql, Objects.requireNonNull(audit, "audit"));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        load();
    }

    /**
     * Refuses an attempt while {@code key} is blocked.
     *
     * @throws KaryoException TOO_MANY_REQUESTS with {@link KaryoException#retryAfter()} while blocked
     */
    public void check(String key) {
        Instant until = known.get(key);
        if (until == null) {
            return;
        }
        Instant now = clock.instant();
        if (until.isAfter(now)) {
            Duration wait = Duration.between(now, until);
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new KaryoException(
                    Kind.TOO_MANY_REQUESTS,
                    "too-many-attempts",
                    "Too many failed attempts; try again in " + seconds + " s",
                    null,
                    null,
                    Duration.ofSeconds(seconds));
        }
    }

    /**
     * Counts a failed attempt of {@code key}. Call it outside a unit of work (or it rolls back with it): a failure must
     * stay counted although the attempt itself fails.
     */
    public void failure(String key) {
        Instant now = clock.instant();
        Instant resetBefore = now.minus(settings.backoffReset());
        int free = key.startsWith("ip:") ? settings.backoffIpFree() : settings.backoffUserFree();
        Instant until = writes.write("failed attempt", tx -> {
            // an upsert counter, the kind of statement the persistence rule allows inside a write
            int failures = tx.sql()
                    .one(
                            "insert into karyo_auth.login_failures as f (key, failures, last_failure, blocked_until)"
                                    + " values (?, 1, ?, null) on conflict (key) do update set failures = case when"
                                    + " f.last_failure < ? then 1 else f.failures + 1 end, last_failure ="
                                    + " excluded.last_failure returning failures",
                            rs -> rs.getInt(1),
                            key,
                            now,
                            resetBefore)
                    .orElseThrow();
            if (failures <= free) {
                return Instant.MIN;
            }
            Duration delay = delay(failures - free);
            Instant blocked = now.plus(delay);
            tx.update("update karyo_auth.login_failures set blocked_until = ? where key = ?", blocked, key);
            LOG.debug("Back-off: {} failures, blocked for {} ms", failures, delay.toMillis());
            return blocked;
        });
        known.put(key, until);
    }

    /** Forgets the failures of {@code key} after a successful attempt. */
    public void success(String key) {
        if (known.remove(key) == null) {
            return;
        }
        writes.write("failed attempts", tx -> tx.update("delete from karyo_auth.login_failures where key = ?", key));
    }

    /** The delay after the {@code beyond}-th failure beyond the free ones (1-based). */
    Duration delay(int beyond) {
        long base = settings.backoffBase().toMillis();
        long max = settings.backoffMax().toMillis();
        int shift = Math.min(beyond - 1, 40);
        long millis = base << shift;
        return Duration.ofMillis(millis <= 0 || millis > max ? max : millis);
    }

    /** Drops the rows whose count would start again anyway (hourly, from the key housekeeping). */
    public void purge() {
        Instant cutoff = clock.instant().minus(settings.backoffReset());
        Instant now = clock.instant();
        try {
            List<String> gone = writes.write("failed attempts", tx -> tx.sql()
                    .list(
                            "delete from karyo_auth.login_failures where last_failure < ?"
                                    + " and (blocked_until is null or blocked_until < ?) returning key",
                            rs -> rs.getString(1),
                            cutoff,
                            now));
            gone.forEach(known::remove);
        } catch (RuntimeException e) {
            LOG.warn("Purging old failed attempts failed: {}", e.getMessage());
        }
    }

    private void load() {
        for (Map.Entry<String, Instant> e : sql.list(
                Select.of("key, blocked_until", "karyo_auth.login_failures"),
                rs -> Map.entry(
                        rs.getString(1),
                        Optional.ofNullable(Sql.instant(rs, "blocked_until")).orElse(Instant.MIN)))) {
            known.put(e.getKey(), e.getValue());
        }
    }
}
