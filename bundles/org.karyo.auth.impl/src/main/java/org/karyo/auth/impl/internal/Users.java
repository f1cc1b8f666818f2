package org.karyo.auth.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.UserKind;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Reads of {@code karyo_auth.users} for the whole bundle, and the in-memory cache of users that token verification
 * uses (so that verifying a JWT needs no database round trip). Every write of a user calls {@link #invalidate} (now
 * and after its commit), so that disabling a user takes effect on the next request.
 */
@Component(service = Users.class)
public class Users {

    static final String COLUMNS = "id::text, username, firstname, lastname, email, kind, active, source, password_hash,"
            + " created_at, last_login, version";

    private static final int MAX_CACHED = 100_000;

    private final Sql sql;
    private final ConcurrentMap<String, UserRow> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> idByUsername = new ConcurrentHashMap<>();

    @Activate
    public Users(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema) {
        this(dataSource);
    }

    /** For tests. */
    public Users(DataSource dataSource) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
    }

    /** The user with this id, read from the database now. */
    public Optional<UserRow> byId(String id) {
        UUID uuid = uuid(id);
        if (uuid == null) {
            return Optional.empty();
        }
        return sql.one(Select.of(COLUMNS, "karyo_auth.users").eq("id", uuid), Users::row);
    }

    /** The user with this username (exact match), read from the database now. */
    public Optional<UserRow> byUsername(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.empty();
        }
        return sql.one(Select.of(COLUMNS, "karyo_auth.users").eq("username", username), Users::row);
    }

    /** The user with this id from the cache (loaded once on a miss): for token verification. */
    public Optional<UserRow> cachedById(String id) {
        UserRow cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UserRow> row = byId(id);
        row.ifPresent(this::remember);
        return row;
    }

    /** The user with this username from the cache (loaded once on a miss): for OIDC bearer verification. */
    public Optional<UserRow> cachedByUsername(String username) {
        String id = idByUsername.get(username);
        if (id != null) {
            UserRow cached = byId.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<UserRow> row = byUsername(username);
        row.ifPresent(this::remember);
        return row;
    }

    /** Forgets a cached user: now, and again once the current unit of work (if any) commits. */
    public void invalidate(String id, UnitOfWork uow) {
        forget(id);
        if (uow != null && uow.active()) {
            uow.afterCommit(() -> forget(id));
        }
    }

    private void forget(String id) {
        UserRow old = byId.remove(id);
        if (old != null) {
            idByUsername.remove(old.username(), id);
        }
    }

    private void remember(UserRow row) {
        if (byId.size() >= MAX_CACHED) {
            byId.clear();
            idByUsername.clear();
        }
        byId.put(row.id(), row);
        idByUsername.put(row.username(), row.id());
    }

    /**
     * A caller that is this user, without any right: for audit entries written on the user's behalf (logins, token
     * refreshes). Its name is the opaque id too, so it never puts a username into a log.
     */
    public static Caller asCaller(UserRow u) {
        return new UserCaller(u.id());
    }

    /** Maps a row selected with {@link #COLUMNS} (from column 1). */
    static UserRow row(ResultSet rs) throws SQLException {
        return new UserRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                UserKind.valueOf(rs.getString(6)),
                rs.getBoolean(7),
                rs.getString(8),
                rs.getString(9),
                instant(rs.getTimestamp(10)),
                instant(rs.getTimestamp(11)),
                rs.getLong(12));
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** The UUID, or {@code null} when {@code id} is not one (then no user has it). */
    static UUID uuid(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private record UserCaller(String id) implements Caller {
        @Override
        public String getName() {
            return id;
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return false;
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
