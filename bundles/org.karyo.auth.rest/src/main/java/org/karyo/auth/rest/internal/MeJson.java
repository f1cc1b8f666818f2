package org.karyo.auth.rest.internal;

import java.time.Instant;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.User;

/**
 * {@code GET /auth/me}: the caller's own user (the fields of {@link UserJson}) and, while a full administrator acts as
 * this user through {@code X-Impersonate}, that administrator ({@code null} otherwise).
 */
public record MeJson(
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
        @Nullable Instant lastLogin,
        @Nullable UserRef impersonatedBy) {

    static MeJson of(User user, UserRef impersonatedBy) {
        UserJson u = UserJson.of(user);
        return new MeJson(
                u.id(),
                u.username(),
                u.firstname(),
                u.lastname(),
                u.displayName(),
                u.email(),
                u.kind(),
                u.isActive(),
                u.source(),
                u.mfaEnrolled(),
                u.createdAt(),
                u.lastLogin(),
                impersonatedBy);
    }
}
