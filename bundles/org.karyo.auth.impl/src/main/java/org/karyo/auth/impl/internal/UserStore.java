package org.karyo.auth.impl.internal;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserQuery;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/** The SQL of {@code karyo_auth.users} writes and lists, on the persistence helpers ({@code Select}, {@code Writes}). */
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

    /**
     * The writes of the users table: a unique violation of the username or the e-mail address is a 409 naming the
     * field (never the value).
     */
    static Writes writes(UnitOfWork uow, Sql sql, AuditTrail audit) {
        return Writes.statements(uow, sql, audit)
                .onUnique("users_username_key", "username", "a user with this username already exists")
                .onUnique("users_email_key", "email", "another user already has this e-mail address");
    }

    /** A new user row (the caller checked the input and the rights), in the write's transaction. */
    static UserRow insert(
            Writes.Tx tx,
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
        String first = firstname == null ? "" : firstname;
        String last = lastname == null ? "" : lastname;
        tx.update(
                "insert into karyo_auth.users (id, username, firstname, lastname, email, kind, active, source,"
                        + " password_hash, created_at, created_by, updated_at, updated_by, version)"
                        + " values (?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?, ?, 0)",
                UUID.fromString(id),
                username,
                first,
                last,
                email,
                kind,
                source,
                passwordHash,
                now,
                createdBy,
                now,
                createdBy);
        return new UserRow(id, username, first, last, email, kind, true, source, passwordHash, now, null, 0);
    }

    /** Whether another user (not {@code exceptId}) has this e-mail address, case-insensitively. */
    static boolean emailTaken(Sql sql, String email, String exceptId) {
        return sql.exists(Select.of("1", "karyo_auth.users")
                .where("lower(email) = lower(?)", email)
                .whereIf(exceptId != null, "id <> ?", exceptId == null ? null : UUID.fromString(exceptId)));
    }

    /** The user row, locked until the write's transaction ends (a row lock, as {@code Tx.lock} takes for entities). */
    static Optional<UserRow> lock(Writes.Tx tx, String username) {
        return tx.sql()
                .one(
                        "select " + Users.COLUMNS + " from karyo_auth.users where username = ? for update",
                        Users::row,
                        username);
    }

    /** Whether the user has a confirmed second factor. */
    static boolean mfaEnrolled(Sql sql, String userId) {
        return sql.exists(Select.of("1", "karyo_auth.mfa_factors")
                .eq("user_id", UUID.fromString(userId))
                .where("confirmed_at is not null"));
    }

    /** The users a list query matches, with whether each has a second factor (column 13). */
    static Select list(UserQuery q) {
        Select select = Select.of(prefixed() + ", " + MFA_ENROLLED, "karyo_auth.users u")
                .search(q.search().orElse(null), "u.username", "u.firstname", "u.lastname", "u.email")
                .eq("u.kind", q.kind().map(UserKind::name))
                .eq("u.active", q.active());
        select = select.whereIf(q.localOnly(), "u.source = 'local'");
        if (q.ids().isPresent()) {
            // only these users (with_access): an empty set matches no one
            select = q.ids().get().isEmpty()
                    ? select.where("false")
                    : select.in("u.id::text", q.ids().get());
        }
        return select;
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

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
