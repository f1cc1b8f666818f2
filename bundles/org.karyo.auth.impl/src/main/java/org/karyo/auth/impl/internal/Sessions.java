package org.karyo.auth.impl.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions: refresh-token families and revoked sessions. A login starts a family (its id is the access tokens'
 * {@code sid}) with an opaque 256-bit refresh token, stored as its SHA-256 only. Each refresh marks the presented token
 * used and adds a new one to the family; presenting a used token again is a replay: the whole family is revoked and
 * its sid joins the revoked sessions, whose access tokens then stop working at once.
 *
 * <p>Revoked sids are held in memory (loaded at activation, updated on every revocation), so that checking an access
 * token's session costs no database round trip; rows are kept until every access token of the session has expired.
 * Methods that write join the caller's unit of work.
 */
@Component(service = Sessions.class)
public class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final UnitOfWork uow;
    private final AuthSettings settings;
    private final Clock clock;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    @Activate
    public Sessions(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuthSettings settings) {
        this(dataSource, uow, settings, Clock.systemUTC());
    }

    /** For tests. */
    Sessions(DataSource dataSource, UnitOfWork uow, AuthSettings settings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        load();
    }

    /** Whether the session's access tokens were revoked (in memory). */
    public boolean isRevoked(String sid) {
        return revoked.contains(sid);
    }

    /** Starts a session for the user: a new family with its first refresh token. Joins the unit of work. */
    public Started start(String userId, String clientId, String scope) {
        String sid = UUID.randomUUID().toString();
        String token = insert(uow.connection(), UUID.fromString(sid), userId, clientId, scope);
        return new Started(sid, token);
    }

    /**
     * Uses a refresh token, inside the caller's unit of work (the row is locked).
     *
     * @return what happened; on {@link Outcome#REUSED} the family is already revoked (commit the unit of work)
     */
    public Use use(String presented) {
        Connection c = uow.connection();
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("select id, family_id::text, user_id::text, client_id, scope,"
                + " expires_at, used_at, revoked_at from karyo_auth.refresh_tokens where token_hash = ? for update")) {
            ps.setBytes(1, sha256(presented));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Use(Outcome.UNKNOWN, null, null, null, null);
                }
                UUID id = rs.getObject(1, UUID.class);
                String sid = rs.getString(2);
                String userId = rs.getString(3);
                String clientId = rs.getString(4);
                String scope = rs.getString(5);
                Instant expires = rs.getTimestamp(6).toInstant();
                boolean used = rs.getTimestamp(7) != null;
                boolean isRevoked = rs.getTimestamp(8) != null;
                if (isRevoked) {
                    return new Use(Outcome.REVOKED, sid, userId, clientId, scope);
                }
                if (used) {
                    revokeFamily(sid, userId, "refresh-reuse");
                    return new Use(Outcome.REUSED, sid, userId, clientId, scope);
                }
                if (!expires.isAfter(now)) {
                    return new Use(Outcome.EXPIRED, sid, userId, clientId, scope);
                }
                try (PreparedStatement mark =
                        c.prepareStatement("update karyo_auth.refresh_tokens set used_at = ? where id = ?")) {
                    mark.setTimestamp(1, Timestamp.from(now));
                    mark.setObject(2, id);
                    mark.executeUpdate();
                }
                return new Use(Outcome.OK, sid, userId, clientId, scope);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a refresh token failed", e);
        }
    }

    /** The next refresh token of a family (after {@link #use} returned {@link Outcome#OK}); joins the unit of work. */
    public String next(String sid, String userId, String clientId, String scope) {
        return insert(uow.connection(), UUID.fromString(sid), userId, clientId, scope);
    }

    /** The family (sid) and user of a refresh token, whatever its state. */
    public Optional<Owner> owner(String presented) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select family_id::text, user_id::text"
                        + " from karyo_auth.refresh_tokens where token_hash = ?")) {
            ps.setBytes(1, sha256(presented));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Owner(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a refresh token failed", e);
        }
    }

    /**
     * Revokes a session: every refresh token of its family, and its access tokens (the sid joins the revoked set now,
     * and is stored until its last access token expires). Joins the unit of work if one is active.
     */
    public void revokeFamily(String sid, String userId, String reason) {
        Instant now = clock.instant();
        Instant keepUntil = now.plus(settings.accessTokenTtl()).plus(settings.clockSkew());
        revoked.add(sid);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("update karyo_auth.refresh_tokens set revoked_at = ?"
                    + " where family_id = ? and revoked_at is null")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, UUID.fromString(sid));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into karyo_auth.revoked_sessions"
                    + " (sid, user_id, reason, revoked_at, keep_until) values (?, ?, ?, ?, ?)"
                    + " on conflict (sid) do update set keep_until = greatest(karyo_auth.revoked_sessions.keep_until,"
                    + " excluded.keep_until)")) {
                ps.setObject(1, UUID.fromString(sid));
                ps.setObject(2, UUID.fromString(userId));
                ps.setString(3, reason);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(keepUntil));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Revoking a session failed", e);
        }
        if (uow.active()) {
            uow.afterCommit(() -> revoked.add(sid));
        }
        LOG.debug("Session {} revoked ({})", sid, reason);
    }

    /** Revokes every session of a user that still has a live refresh token (disabled user, new password). */
    public List<String> revokeUser(String userId, String reason) {
        List<String> sids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select distinct family_id::text from"
                        + " karyo_auth.refresh_tokens where user_id = ? and revoked_at is null and expires_at > ?")) {
            ps.setObject(1, UUID.fromString(userId));
            ps.setTimestamp(2, Timestamp.from(clock.instant().minus(settings.accessTokenTtl())));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a user's sessions failed", e);
        }
        for (String sid : sids) {
            revokeFamily(sid, userId, reason);
        }
        return sids;
    }

    /** Drops revoked sessions whose access tokens have all expired, and refresh tokens expired for a day. */
    public void purge() {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from karyo_auth.revoked_sessions where keep_until < ? returning sid::text")) {
                ps.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        revoked.remove(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("delete from karyo_auth.refresh_tokens where expires_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(now.minus(java.time.Duration.ofDays(1))));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            LOG.warn("Purging expired sessions failed: {}", e.getMessage());
        }
    }

    private String insert(Connection c, UUID family, String userId, String clientId, String scope) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("insert into karyo_auth.refresh_tokens (id, family_id, user_id,"
                + " token_hash, client_id, scope, issued_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, family);
            ps.setObject(3, UUID.fromString(userId));
            ps.setBytes(4, sha256(token));
            ps.setString(5, clientId);
            ps.setString(6, scope);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now.plus(settings.refreshTokenTtl())));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Storing a refresh token failed", e);
        }
        return token;
    }

    private void load() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select sid::text from karyo_auth.revoked_sessions where keep_until > ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    revoked.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading karyo_auth.revoked_sessions failed", e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new session. */
    public record Started(String sid, String refreshToken) {}

    /** The session and user a refresh token belongs to. */
    public record Owner(String sid, String userId) {}

    /** What presenting a refresh token did. */
    public enum Outcome {
        OK,
        UNKNOWN,
        EXPIRED,
        REVOKED,
        REUSED
    }

    /** The result of {@link #use}. */
    public record Use(Outcome outcome, String sid, String userId, String clientId, String scope) {}
}
