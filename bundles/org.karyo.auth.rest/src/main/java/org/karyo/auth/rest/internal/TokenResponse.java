package org.karyo.auth.rest.internal;

import java.time.Duration;
import java.time.Instant;
import org.karyo.auth.api.TokenPair;

/**
 * A refreshed token pair, wire-compatible with Cohort360's {@code {access_token, refresh_token}}, plus
 * {@code token_type} and {@code expires_in}. The refresh token replaces the one just used, which no longer works.
 */
public record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {

    static TokenResponse of(TokenPair p, Instant now) {
        return new TokenResponse(
                p.accessToken(), p.refreshToken(), LoginResponse.BEARER, secondsUntil(p.accessTokenExpiresAt(), now));
    }

    /** Whole seconds from {@code now} until {@code expiresAt}, never negative. */
    static long secondsUntil(Instant expiresAt, Instant now) {
        return Math.max(0, Duration.between(now, expiresAt).getSeconds());
    }

    /** Never prints the tokens. */
    @Override
    public String toString() {
        return "TokenResponse[expires_in=" + expiresIn + "]";
    }
}
