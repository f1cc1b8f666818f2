package org.karyo.auth.impl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.module.SchemaReady;
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

    private final DataSource dataSource;
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
            @Reference AuthSettings settings) {
        this(dataSource, settings, Clock.systemUTC());
    }

    /** For tests (also of other packages of the bundle). */
    public Backoff(DataSource dataSource, AuthSettings settings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
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
        Timestamp resetBefore = Timestamp.from(now.minus(settings.backoffReset()));
        int free = key.startsWith("ip:") ? settings.backoffIpFree() : settings.backoffUserFree();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into karyo_auth.login_failures as f"
                        + " (key, failures, last_failure, blocked_until) values (?, 1, ?, null)"
                        + " on conflict (key) do update set failures = case when f.last_failure < ? then 1"
                        + " else f.failures + 1 end, last_failure = excluded.last_failure"
                        + " returning failures")) {
            ps.setString(1, key);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, resetBefore);
            int failures;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                failures = rs.getInt(1);
            }
            Instant until = Instant.MIN;
            if (failures > free) {
                Duration delay = delay(failures - free);
                until = now.plus(delay);
                try (PreparedStatement block =
                        c.prepareStatement("update karyo_auth.login_failures set blocked_until = ? where key = ?")) {
                    block.setTimestamp(1, Timestamp.from(until));
                    block.setString(2, key);
                    block.executeUpdate();
                }
                LOG.debug("Back-off: {} failures, blocked for {} ms", failures, delay.toMillis());
            }
            known.put(key, until);
        } catch (SQLException e) {
            throw new IllegalStateException("Recording a failed attempt failed", e);
        }
    }

    /** Forgets the failures of {@code key} after a successful attempt. */
    public void success(String key) {
        if (known.remove(key) == null) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from karyo_auth.login_failures where key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Clearing failed attempts failed", e);
        }
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from karyo_auth.login_failures"
                        + " where last_failure < ? and (blocked_until is null or blocked_until < ?) returning key")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.remove(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            LOG.warn("Purging old failed attempts failed: {}", e.getMessage());
        }
    }

    private void load() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select key, blocked_until from karyo_auth.login_failures");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp until = rs.getTimestamp(2);
                known.put(rs.getString(1), until == null ? Instant.MIN : until.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading karyo_auth.login_failures failed", e);
        }
    }
}
