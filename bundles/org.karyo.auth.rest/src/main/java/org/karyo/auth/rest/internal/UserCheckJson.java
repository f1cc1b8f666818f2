package org.karyo.auth.rest.internal;

import org.karyo.api.json.Nullable;
import org.karyo.auth.api.UserCheck;

/**
 * {@code GET /users/{username}/check}: whether the username exists locally, else whether an authentication provider
 * knows it, with the names it reports ({@code null} when unknown).
 */
public record UserCheckJson(
        String username,
        boolean found,
        boolean local,
        @Nullable String provider,
        @Nullable String firstname,
        @Nullable String lastname,
        @Nullable String email) {

    static UserCheckJson of(UserCheck c) {
        return new UserCheckJson(
                c.username(),
                c.found(),
                c.local(),
                c.provider().orElse(null),
                c.firstname().orElse(null),
                c.lastname().orElse(null),
                c.email().orElse(null));
    }
}
