package org.karyo.api.security;

import java.security.Principal;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who is making a request. Services take the caller as a parameter, so that object-level checks live in the service
 * layer and list queries can filter in SQL. The REST layer exposes it as the JAX-RS {@code SecurityContext}'s
 * principal.
 */
@ProviderType
public interface Caller extends Principal {

    /** An opaque, stable identifier: safe for logs and audit, never a patient identifier. */
    String id();

    /** Whether the caller proved an identity. */
    boolean authenticated();

    /**
     * Whether the caller holds {@code right} somewhere. Perimeter-scoped checks belong to the access module; this is
     * the coarse check that the security extension applies to a method's declared right.
     */
    boolean hasRight(String right);

    /** The caller of a request that carries no credentials. It holds no right. */
    Caller ANONYMOUS = new Caller() {
        @Override
        public String id() {
            return "anonymous";
        }

        @Override
        public String getName() {
            return "anonymous";
        }

        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public boolean hasRight(String right) {
            return false;
        }

        @Override
        public String toString() {
            return "anonymous";
        }
    };
}
