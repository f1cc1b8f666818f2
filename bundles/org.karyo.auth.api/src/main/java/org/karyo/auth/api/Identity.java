package org.karyo.auth.api;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request's credentials prove, before rights: what the {@link Authenticator} returns and the access module
 * turns into a caller with rights.
 *
 * @param userId the user's opaque id
 * @param username the username
 * @param method how the request authenticated
 * @param sessionId the session (the refresh-token family), for logout and audit; empty for API tokens and OIDC bearers
 * @param clientId the OAuth client the token was issued to
 * @param rightsLimit the rights a service-account token is limited to (the user's rights are intersected with it);
 *     empty when unlimited
 * @param maintenanceExempt whether maintenance phases do not apply (configured service accounts)
 * @param mfaEnrolmentPending the token reaches only {@code /auth/*} until the user confirms a second factor
 * @param expiresAt when the credentials expire
 */
public record Identity(
        String userId,
        String username,
        Method method,
        Optional<String> sessionId,
        String clientId,
        Optional<Set<String>> rightsLimit,
        boolean maintenanceExempt,
        boolean mfaEnrolmentPending,
        Instant expiresAt) {

    /** How a request authenticated. */
    public enum Method {
        /** A Karyo access token (JWT) from a password or OIDC login. */
        TOKEN,
        /** A bearer token issued by a configured OIDC provider. */
        OIDC,
        /** A service-account API token. */
        API_TOKEN
    }
}
