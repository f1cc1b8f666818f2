package org.karyo.rest.internal.security;

import java.security.Principal;
import javax.ws.rs.core.SecurityContext;
import org.karyo.api.security.Caller;

/** The JAX-RS security context of a request: its principal is the {@link Caller}; roles are rights. */
final class KaryoSecurityContext implements SecurityContext {
    private final Caller caller;
    private final boolean secure;

    KaryoSecurityContext(Caller caller, boolean secure) {
        this.caller = caller;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String right) {
        return caller.hasRight(right);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return caller.authenticated() ? "KARYO" : null;
    }
}
