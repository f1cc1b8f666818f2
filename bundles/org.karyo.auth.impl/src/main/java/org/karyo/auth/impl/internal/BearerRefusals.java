package org.karyo.auth.impl.internal;

import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/**
 * The refusals of a bearer token. Each carries RFC 6750's {@code error} ({@code invalid_token}), which the REST layer
 * repeats in the {@code WWW-Authenticate} challenge of the 401. A genuine token that has expired (its signature
 * verified) says so, so that a client knows to refresh; any other failure says only that the token is invalid.
 */
public final class BearerRefusals {
    /** The answer to a token that is not a valid one (forged, tampered, revoked, unknown...). */
    public static final String INVALID = "The access token is invalid";

    /** The answer to a genuine token past its expiry. */
    public static final String EXPIRED = "The access token expired";

    private BearerRefusals() {}

    /** A token that is not valid, for whatever reason (the reason is not revealed). */
    public static KaryoException invalid() {
        return new KaryoException(
                Kind.UNAUTHENTICATED, "invalid-token", INVALID, null, Map.of("error", "invalid_token"), null);
    }

    /** A genuine token past its expiry. */
    public static KaryoException expired() {
        return new KaryoException(
                Kind.UNAUTHENTICATED, "token-expired", EXPIRED, null, Map.of("error", "invalid_token"), null);
    }
}
