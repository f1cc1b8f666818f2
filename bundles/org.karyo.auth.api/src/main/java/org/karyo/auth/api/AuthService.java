package org.karyo.auth.api;

import java.util.Map;
import java.util.Optional;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Login, token refresh and logout. Every outcome is audited; failures never say which part was wrong. */
@ProviderType
public interface AuthService {

    /**
     * Logs in.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED on any failure (unknown user, wrong password, wrong or
     *     missing one-time code: type {@code mfa-required} when only the code is missing), TOO_MANY_REQUESTS while
     *     the user or the client address is backing off, INVALID when the body mixes or lacks the fields of both forms
     */
    LoginResult login(LoginRequest request, ClientInfo client);

    /**
     * Rotates a refresh token. Reusing a rotated token revokes its whole family.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when the token is unknown, expired, revoked or reused
     */
    TokenPair refresh(String refreshToken, ClientInfo client);

    /** Ends the caller's session: its refresh-token family is revoked and its access tokens stop working. */
    void logout(Caller caller, Optional<String> refreshToken);

    /** The public signing keys, as a JWK set (RFC 7517). */
    Map<String, Object> jwks();
}
