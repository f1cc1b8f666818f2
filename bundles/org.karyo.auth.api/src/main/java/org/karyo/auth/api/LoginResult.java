package org.karyo.auth.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A successful login, wire-compatible with Cohort360: {@code {user, last_login, access_token, refresh_token}}.
 *
 * @param user the user
 * @param lastLogin the login before this one
 * @param accessToken a short-lived signed JWT carrying identity only
 * @param refreshToken an opaque, single-use refresh token
 * @param accessTokenExpiresAt when the access token expires
 * @param mfaEnrolmentRequired the site requires a second factor that this user has not enrolled yet: the tokens reach
 *     only {@code /auth/*} until enrolment is confirmed
 */
public record LoginResult(
        User user,
        Optional<Instant> lastLogin,
        String accessToken,
        String refreshToken,
        Instant accessTokenExpiresAt,
        boolean mfaEnrolmentRequired) {}
