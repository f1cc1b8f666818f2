package org.karyo.auth.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A user (Cohort360's {@code User}): a person or a service account.
 *
 * @param id the opaque, stable id (a UUID) used in audit entries, tokens ({@code sub}) and other modules' rows
 * @param username unique, matches the configured username pattern; immutable
 * @param firstname given name
 * @param lastname family name
 * @param email unique when present
 * @param kind person or service account
 * @param active whether the user may log in and holds rights; disabling takes effect on the next request
 * @param source where the user was created: {@code local}, {@code oidc:<provider>} or {@code provider:<name>}
 * @param mfaEnrolled whether a confirmed TOTP second factor is set
 * @param createdAt creation time
 * @param lastLogin the previous successful login, if any
 */
public record User(
        String id,
        String username,
        String firstname,
        String lastname,
        Optional<String> email,
        UserKind kind,
        boolean active,
        String source,
        boolean mfaEnrolled,
        Instant createdAt,
        Optional<Instant> lastLogin) {

    /** "First Last (username)", Cohort360's display name; the username alone for a user without names. */
    public String displayName() {
        String name = ((firstname == null ? "" : firstname) + " " + (lastname == null ? "" : lastname)).trim();
        return name.isEmpty() ? username : name + " (" + username + ")";
    }
}
