package org.karyo.auth.impl.internal;

import java.time.Instant;
import java.util.Optional;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;

/**
 * One row of {@code karyo_auth.users}, inside the bundle only.
 *
 * @param id the user's UUID, as text
 * @param username the unique username
 * @param firstname given name ({@code ""} when unknown)
 * @param lastname family name ({@code ""} when unknown)
 * @param email the e-mail address, or {@code null}
 * @param kind person or service account
 * @param active whether the user may authenticate
 * @param source {@code local}, {@code oidc:<provider>} or {@code provider:<name>}
 * @param passwordHash the PHC string of the local password, or {@code null}
 * @param createdAt creation time
 * @param lastLogin the last successful login, or {@code null}
 * @param version optimistic version, incremented by every update
 */
public record UserRow(
        String id,
        String username,
        String firstname,
        String lastname,
        String email,
        UserKind kind,
        boolean active,
        String source,
        String passwordHash,
        Instant createdAt,
        Instant lastLogin,
        long version) {

    /** The API view of this row. */
    public User toUser(boolean mfaEnrolled) {
        return new User(
                id,
                username,
                firstname,
                lastname,
                Optional.ofNullable(email),
                kind,
                active,
                source,
                mfaEnrolled,
                createdAt,
                Optional.ofNullable(lastLogin));
    }

    /** Never prints names, e-mail or the password hash: the id only. */
    @Override
    public String toString() {
        return "UserRow[" + id + "]";
    }
}
