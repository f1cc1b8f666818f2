package org.karyo.auth.impl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.karyo.api.KaryoException;
import org.karyo.api.Sort;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserQuery;

/** The SQL of {@code karyo_auth.users} writes and lists; every method runs on the connection it is given. */
final class UserStore {
    /** Whether the user has a confirmed second factor (the MFA table of the same module). */
    static final String MFA_ENROLLED = "exists (select 1 from karyo_auth.mfa_factors f where f.user_id = u.id"
            + " and f.confirmed_at is not null)";

    /** Orderable fields (as clients name them) and their columns. */
    static final Map<String, String> ORDERABLE = Map.of(
            "username", "u.username",
            "firstname", "u.firstname",
            "lastname", "u.lastname",
            "email", "lower(u.email)",
            "kind", "u.kind",
            "active", "u.active",
            "source", "u.source",
            "created_at", "u.created_at",
            "last_login", "u.last_login");

    private UserStore() {}

    /** A new user row (the caller checked the input and the rights). */
    static UserRow insert(
            Connection c,
            String username,
            String firstname,
            String lastname,
            String email,
            UserKind kind,
            String source,
            String passwordHash,
            String createdBy,
            Instant now) {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("insert into karyo_auth.users (id, username, firstname,"
                + " lastname, email, kind, active, source, password_hash, created_at, created_by, updated_at,"
                + " updated_by, version) values (?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?, ?, 0)")) {
            ps.setObject(1, UUID.fromString(id));
            ps.setString(2, username);
            ps.setString(3, firstname == null ? "" : firstname);
            ps.setString(4, lastname == null ? "" : lastname);
            ps.setString(5, email);
            ps.setString(6, kind.name());
            ps.setString(7, source);
            ps.setString(8, passwordHash);
            ps.setTimestamp(9, Timestamp.from(now));
            ps.setString(10, createdBy);
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setString(12, createdBy);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw duplicate(e);
            }
            throw new IllegalStateException("Creating a user failed", e);
        }
        return new UserRow(
                id,
                username,
                firstname == null ? "" : firstname,
                lastname == null ? "" : lastname,
                email,
                kind,
                true,
                source,
                passwordHash,
                now,
                null,
                0);
    }

    /** The CONFLICT for a unique violation, naming the field but never the value. */
    static KaryoException duplicate(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("users_email_key")) {
            return KaryoException.conflict("another user already has this e-mail address");
        }
        return KaryoException.conflict("a user with this username already exists");
    }

    /** Whether another user (not {@code exceptId}) has this e-mail address, case-insensitively. */
    static boolean emailTaken(Connection c, String email, String exceptId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from karyo_auth.users where lower(email) = lower(?)"
                + " and (?::uuid is null or id <> ?::uuid)")) {
            ps.setString(1, email);
            ps.setString(2, exceptId);
            ps.setString(3, exceptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The user row locked for update. */
    static Optional<UserRow> lock(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select " + Users.COLUMNS + " from karyo_auth.users where username = ? for update")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Users.row(rs)) : Optional.empty();
            }
        }
    }

    /** Whether the user has a confirmed second factor. */
    static boolean mfaEnrolled(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select " + MFA_ENROLLED + " from karyo_auth.users u where u.id = ?::uuid")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A list query: its SQL and parameters. */
    record Query(String sql, List<Object> parameters) {}

    static Query list(UserQuery q, List<Sort> ordering, int limit, int offset) {
        StringBuilder sql = new StringBuilder(
                "select " + prefixed() + ", " + MFA_ENROLLED + ", count(*) over () from karyo_auth.users u where true");
        List<Object> params = new ArrayList<>();
        q.search().filter(s -> !s.isBlank()).ifPresent(s -> {
            String like = "%" + escapeLike(s.trim()) + "%";
            sql.append(" and (u.username ilike ? or u.firstname ilike ? or u.lastname ilike ? or u.email ilike ?)");
            for (int i = 0; i < 4; i++) {
                params.add(like);
            }
        });
        q.kind().ifPresent(k -> {
            sql.append(" and u.kind = ?");
            params.add(k.name());
        });
        q.active().ifPresent(a -> {
            sql.append(" and u.active = ?");
            params.add(a);
        });
        if (q.localOnly()) {
            sql.append(" and u.source = 'local'");
        }
        q.ids().ifPresent(ids -> {
            sql.append(" and u.id::text = any(?)");
            params.add(ids.toArray(String[]::new));
        });
        sql.append(" order by ");
        for (Sort s : ordering) {
            sql.append(ORDERABLE.get(s.field()))
                    .append(s.descending() ? " desc nulls last" : " asc nulls last")
                    .append(", ");
        }
        sql.append("u.id limit ? offset ?");
        params.add(limit);
        params.add(offset);
        return new Query(sql.toString(), params);
    }

    private static String prefixed() {
        StringBuilder out = new StringBuilder();
        for (String col : Users.COLUMNS.split(",")) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append("u.").append(col.trim());
        }
        return out.toString();
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
