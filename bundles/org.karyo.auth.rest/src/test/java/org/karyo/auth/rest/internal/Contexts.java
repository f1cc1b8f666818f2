package org.karyo.auth.rest.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.security.Principal;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.security.Caller;

/** The JAX-RS context objects a resource method receives, for direct calls in unit tests. */
final class Contexts {
    private Contexts() {}

    static SecurityContext security(Caller caller) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }

    static UriInfo uri(String absolutePath) {
        UriInfo uri = mock(UriInfo.class);
        when(uri.getAbsolutePathBuilder()).thenAnswer(i -> UriBuilder.fromUri(absolutePath));
        return uri;
    }
}
