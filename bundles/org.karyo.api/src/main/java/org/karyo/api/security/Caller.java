package org.karyo.api.security;

import java.security.Principal;
import java.util.Optional;
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

    /**
     * Whether the caller holds {@code right} on the perimeter node {@code perimeterId}: through a global right, an
     * access on that node, or (for a right that is inherited down the tree) an access on one of its ancestors. Object
     * level checks call this; a caller who fails it must get {@link org.karyo.api.Kind#NOT_FOUND}, not
     * {@link org.karyo.api.Kind#FORBIDDEN}, so that the object's existence is not revealed.
     */
    default boolean hasRightOn(String right, long perimeterId) {
        return false;
    }

    /**
     * The perimeter nodes on which the caller holds {@code right}, expanded down the tree for inherited rights: what a
     * list or count query filters on in SQL ({@code perimeter_id = any(?)}), or {@link Scope#all()} for a global right.
     */
    default Scope scope(String right) {
        return Scope.none();
    }

    /** The opaque id of the full administrator acting as this caller ({@code X-Impersonate}), if any. */
    default Optional<String> impersonatedBy() {
        return Optional.empty();
    }

    /** Whether the caller is a service account (an API token), whose calls are audited. */
    default boolean serviceAccount() {
        return false;
    }

    /** Whether maintenance phases do not apply to this caller (service accounts configured so). */
    default boolean maintenanceExempt() {
        return false;
    }

    /**
     * The platform itself, as the author of what no person asked for (bootstrap, background jobs) in the audit trail:
     * authenticated, with the id {@code system}, holding no right.
     */
    Caller SYSTEM = new Caller() {
        @Override
        public String id() {
            return "system";
        }

        @Override
        public String getName() {
            return "system";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return false;
        }

        @Override
        public String toString() {
            return "system";
        }
    };

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
