package org.karyo.auth.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An external OpenID Connect provider, registered as a service (the OIDC bundle registers one per configured
 * provider). It exchanges authorization codes at login and verifies the provider's own bearer tokens on API calls.
 */
@ConsumerType
public interface IdentityProvider {

    /** The name clients send as {@code provider} at login. */
    String name();

    /** Whether unknown users are created on first login (without any access). */
    boolean autoProvision();

    /**
     * Exchanges an authorization code (with PKCE) and validates the ID token.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when the exchange or validation fails; UNAVAILABLE (with a
     *     retry-after) when the provider cannot be reached
     */
    ExternalIdentity exchange(String authCode, String redirectUri, String codeVerifier);

    /**
     * Verifies a bearer token: signature against the provider's (cached) JWKS, {@code iss}, {@code aud}, expiry.
     *
     * @return empty when the token was not issued by this provider
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when it was, but is invalid; UNAVAILABLE when the provider's
     *     keys cannot be fetched (the token may well be valid: do not treat it as refused)
     */
    Optional<ExternalIdentity> verifyBearer(String token);
}
