package org.karyo.auth.impl.internal;

import org.karyo.auth.api.Identity;

/**
 * The identity the {@link org.karyo.auth.api.Authenticator} proved on this thread for the current request, so that
 * logout can find the session of the caller's own access token ({@link org.karyo.api.security.Caller} carries no
 * session). Reset at every authentication.
 */
final class CurrentIdentity {
    private static final ThreadLocal<Identity> CURRENT = new ThreadLocal<>();

    private CurrentIdentity() {}

    static void set(Identity identity) {
        if (identity == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(identity);
        }
    }

    static Identity get() {
        return CURRENT.get();
    }
}
