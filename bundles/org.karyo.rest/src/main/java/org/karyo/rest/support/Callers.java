package org.karyo.rest.support;

import javax.ws.rs.core.SecurityContext;
import org.karyo.api.security.Caller;

/** The caller of the current request, as the security extension put it into the JAX-RS security context. */
public final class Callers {
    private Callers() {}

    /** The caller; {@link Caller#ANONYMOUS} when the request carries no identity. */
    public static Caller of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        return Caller.ANONYMOUS;
    }
}
