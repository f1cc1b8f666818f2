package org.karyo.auth.rest.internal;

import java.time.Instant;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.LoginResult;

/**
 * A successful login, wire-compatible with Cohort360's {@code {user, last_login, access_token, refresh_token}}, plus
 * the OAuth 2.0 token response members {@code token_type} and {@code expires_in}.
 *
 * @param lastLogin the login before this one, {@code null} on a first login
 * @param tokenType always {@code Bearer}
 * @param expiresIn seconds until the access token expires
 * @param mfaEnrolmentRequired the site requires a second factor that this user has not confirmed: until then the
 *     tokens reach only {@code /api/auth/*}
 */
public record LoginResponse(
        UserJson user,
        @Nullable Instant lastLogin,
        String accessToken,
        String refreshToken,
        String tokenType,
        long expiresIn,
        boolean mfaEnrolmentRequired) {

    static final String BEARER = "Bearer";

    static LoginResponse of(LoginResult r, Instant now) {
        return new LoginResponse(
                UserJson.of(r.user()),
                r.lastLogin().orElse(null),
                r.accessToken(),
                r.refreshToken(),
                BEARER,
                TokenResponse.secondsUntil(r.accessTokenExpiresAt(), now),
                r.mfaEnrolmentRequired());
    }

    /** Never prints the tokens. */
    @Override
    public String toString() {
        return "LoginResponse[user=" + user.id() + ", expires_in=" + expiresIn + "]";
    }
}
