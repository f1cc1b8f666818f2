package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.Locale;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;

/**
 * A user on the wire (Cohort360's user serializer plus Karyo's fields). It has no password, hash or second-factor
 * secret field: the api {@link User} carries none, and this type is the only way a user leaves the REST layer.
 *
 * @param kind {@code person} or {@code service}
 * @param source {@code local}, {@code oidc:<provider>} or {@code provider:<name>}
 */
public record UserJson(
        String id,
        String username,
        String firstname,
        String lastname,
        String displayName,
        @Nullable String email,
        String kind,
        boolean isActive,
        String source,
        boolean mfaEnrolled,
        Instant createdAt,
        @Nullable Instant lastLogin) {

    static UserJson of(User u) {
        return new UserJson(
                u.id(),
                u.username(),
                u.firstname(),
                u.lastname(),
                u.displayName(),
                u.email().orElse(null),
                kind(u.kind()),
                u.active(),
                u.source(),
                u.mfaEnrolled(),
                u.createdAt(),
                u.lastLogin().orElse(null));
    }

    /** The wire name of a kind. */
    static String kind(UserKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The kind a wire name names, or {@code null} when it names none (the values are lower case, exactly). */
    static UserKind kind(String wire) {
        for (UserKind k : UserKind.values()) {
            if (kind(k).equals(wire)) {
                return k;
            }
        }
        return null;
    }
}
