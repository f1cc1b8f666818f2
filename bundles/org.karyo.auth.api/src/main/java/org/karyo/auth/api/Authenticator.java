package org.karyo.auth.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a request's credentials. Used by the access module's access control on every request; answers from memory
 * (cached keys, cached revocations) except for API tokens, which it looks up by hash.
 */
@ProviderType
public interface Authenticator {

    /**
     * The identity behind an {@code Authorization} header.
     *
     * @param authorization the header's value, or {@code null}
     * @param authorizationMethod Cohort360's {@code AUTHORIZATIONMETHOD} header ({@code JWT} or {@code OIDC}), or
     *     {@code null} to detect
     * @return empty when there is no {@code Authorization} header
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when credentials are present but invalid, expired,
     *     revoked, or belong to a disabled user
     */
    Optional<Identity> authenticate(String authorization, String authorizationMethod);
}
