package org.karyo.auth.impl.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
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
    private static final String WHAT = "session";

    private final Sql sql;
    private final Writes writes;
    private final UnitOfWork uow;
    private final AuthSettings settings;
    private final Clock clock;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    @Activate
    public Sessions(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, settings, Clock.systemUTC());
    }

    /** For tests. */
    Sessions(DataSource dataSource, UnitOfWork uow, AuditTrail audit, AuthSettings settings, Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        this.uow = Objects.requireNonNull(uow, "uow");
        // the callers audit what a session change means (login, refresh, logout); these writes record nothing
        this.writes = Writes.statements(uow, sql, Objects.requireNonNull(audit, "audit"));
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
        String token = writes.write(WHAT, tx -> insert(tx, UUID.fromString(sid), userId, clientId, scope));
        return new Started(sid, token);
    }

    /**
     * Uses a refresh token, inside the caller's unit of work (the row is locked).
     *
     * @return what happened; on {@link Outcome#REUSED} the family is already revoked (commit the unit of work)
     */
    public Use use(String presented) {
        Instant now = Persistence.now(clock);
        record Token(
                UUID id,
                String sid,
                String userId,
                String clientId,
                String scope,
                Instant expires,
                boolean used,
                boolean revoked) {}
        return writes.write(WHAT, tx -> {
            Optional<Token> found = tx.sql()
                    .one(
                            "select id, family_id::text, user_id::text, client_id, scope, expires_at,"
                                    + " used_at is not null, revoked_at is not null from karyo_auth.refresh_tokens"
                                    + " where token_hash = ? for update",
                            rs -> new Token(
                                    rs.getObject(1, UUID.class),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    Sql.instant(rs, "expires_at"),
                                    rs.getBoolean(7),
                                    rs.getBoolean(8)),
                            (Object) sha256(presented));
            if (found.isEmpty()) {
                return new Use(Outcome.UNKNOWN, null, null, null, null);
            }
            Token t = found.get();
            if (t.revoked()) {
                return new Use(Outcome.REVOKED, t.sid(), t.userId(), t.clientId(), t.scope());
            }
            if (t.used()) {
                revokeFamily(t.sid(), t.userId(), "refresh-reuse");
                return new Use(Outcome.REUSED, t.sid(), t.userId(), t.clientId(), t.scope());
            }
            if (!t.expires().isAfter(now)) {
                return new Use(Outcome.EXPIRED, t.sid(), t.userId(), t.clientId(), t.scope());
            }
            tx.update("update karyo_auth.refresh_tokens set used_at = ? where id = ?", now, t.id());
            return new Use(Outcome.OK, t.sid(), t.userId(), t.clientId(), t.scope());
        });
    }

    /** The next refresh token of a family (after {@link #use} returned {@link Outcome#OK}); joins the unit of work. */
    public String next(String sid, String userId, String clientId, String scope) {
        return writes.write(WHAT, tx -> insert(tx, UUID.fromString(sid), userId, clientId, scope));
    }

    /** The family (sid) and user of a refresh token, whatever its state. */
    public Optional<Owner> owner(String presented) {
        return sql.one(
                Select.of("family_id::text, user_id::text", "karyo_auth.refresh_tokens")
                        .eq("token_hash", (Object) sha256(presented)),
                rs -> new Owner(rs.getString(1), rs.getString(2)));
    }

    /**
     * Revokes a session: every refresh token of its family, and its access tokens (the sid joins the revoked set now,
     * and is stored until its last access token expires). Joins the unit of work if one is active.
     */
    public void revokeFamily(String sid, String userId, String reason) {
        Instant now = Persistence.now(clock);
        Instant keepUntil = now.plus(settings.accessTokenTtl()).plus(settings.clockSkew());
        revoked.add(sid);
        writes.run(WHAT, tx -> {
            tx.update(
                    "update karyo_auth.refresh_tokens set revoked_at = ? where family_id = ? and revoked_at is null",
                    now,
                    UUID.fromString(sid));
            tx.update(
                    "insert into karyo_auth.revoked_sessions (sid, user_id, reason, revoked_at, keep_until)"
                            + " values (?, ?, ?, ?, ?) on conflict (sid) do update set keep_until ="
                            + " greatest(karyo_auth.revoked_sessions.keep_until, excluded.keep_until)",
                    UUID.fromString(sid),
                    UUID.fromString(userId),
                    reason,
                    now,
                    keepUntil);
        });
        if (uow.active()) {
            uow.afterCommit(() -> revoked.add(sid));
        }
        LOG.debug("Session {} revoked ({})", sid, reason);
    }

    /** Revokes every session of a user that still has a live refresh token (disabled user, new password). */
    public List<String> revokeUser(String userId, String reason) {
        List<String> sids = sql.list(
                Select.of("distinct family_id::text", "karyo_auth.refresh_tokens")
                        .eq("user_id", UUID.fromString(userId))
                        .where("revoked_at is null")
                        .where("expires_at > ?", clock.instant().minus(settings.accessTokenTtl())),
                rs -> rs.getString(1));
        for (String sid : sids) {
            revokeFamily(sid, userId, reason);
        }
        return sids;
    }

    /** Drops revoked sessions whose access tokens have all expired, and refresh tokens expired for a day. */
    public void purge() {
        Instant now = clock.instant();
        try {
            List<String> gone = writes.write(WHAT, tx -> {
                List<String> sids = tx.sql()
                        .list(
                                "delete from karyo_auth.revoked_sessions where keep_until < ? returning sid::text",
                                rs -> rs.getString(1),
                                now);
                tx.update(
                        "delete from karyo_auth.refresh_tokens where expires_at < ?",
                        now.minus(java.time.Duration.ofDays(1)));
                return sids;
            });
            gone.forEach(revoked::remove);
        } catch (RuntimeException e) {
            LOG.warn("Purging expired sessions failed: {}", e.getMessage());
        }
    }

    private String insert(Writes.Tx tx, UUID family, String userId, String clientId, String scope) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = Persistence.now(clock);
        tx.update(
                "insert into karyo_auth.refresh_tokens (id, family_id, user_id, token_hash, client_id, scope,"
                        + " issued_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID(),
                family,
                UUID.fromString(userId),
                sha256(token),
                clientId,
                scope,
                now,
                now.plus(settings.refreshTokenTtl()));
        return token;
    }

    private void load() {
        revoked.addAll(sql.list(
                Select.of("sid::text", "karyo_auth.revoked_sessions").where("keep_until > ?", clock.instant()),
                rs -> rs.getString(1)));
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
