package org.karyo.auth.rest.internal;

import org.karyo.api.json.Nullable;

/**
 * The optional body of {@code POST /auth/logout}: {@code {refresh_token}} (Cohort360's OIDC clients send it). The
 * session of the access token is ended either way.
 */
public record LogoutBody(@Nullable String refreshToken) {
    @Override
    public String toString() {
        return "LogoutBody[]";
    }
}
