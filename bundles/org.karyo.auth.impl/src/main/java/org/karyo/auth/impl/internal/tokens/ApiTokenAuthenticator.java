package org.karyo.auth.impl.internal.tokens;

import org.karyo.auth.api.Identity;

/**
 * Service-account API tokens as the {@link org.karyo.auth.api.Authenticator} sees them (implemented in this package as
 * a DS component with {@code service = ApiTokenAuthenticator.class}).
 */
public interface ApiTokenAuthenticator {

    /** The prefix of every API token secret. */
    String PREFIX = "kyt_";

    /** Whether the bearer value is an API token (it starts with {@value #PREFIX}). */
    boolean recognises(String bearer);

    /**
     * The identity of an API token ({@link Identity.Method#API_TOKEN}).
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when it is unknown, expired, revoked, or its service
     *     account is disabled
     */
    Identity authenticate(String bearer);
}
