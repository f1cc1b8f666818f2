package org.karyo.auth.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plug-in that checks passwords somewhere else (Cohort360's {@code USER_AUTHENTICATION_HOOKS} and
 * {@code USER_IDENTITY} hooks): register it as an OSGi service from its own bundle. At a password login, providers
 * are asked in service-ranking order (highest first) before the local password; the first {@link Verdict#ACCEPTED}
 * or {@link Verdict#REJECTED} decides. Installing or uninstalling the bundle switches the provider on or off at once.
 *
 * <p>Implementations must not log passwords, and must answer within a few seconds (the login request waits).
 */
@ConsumerType
public interface AuthenticationProvider {

    /** A short name, recorded as the source of users it reports and in the audit. */
    String name();

    /**
     * Checks a password. The user already exists locally (Cohort360's rule): providers authenticate, they do not
     * create users.
     */
    Verdict authenticate(String username, char[] password);

    /** What the provider knows of a user (the identity hook), for user checks; empty when unknown. */
    default Optional<ExternalUser> lookup(String username) {
        return Optional.empty();
    }

    /** A provider's answer. */
    enum Verdict {
        /** The password is right. */
        ACCEPTED,
        /** The provider knows the user and the password is wrong. */
        REJECTED,
        /** The provider does not know the user (or is unreachable): ask the next one. */
        ABSTAIN
    }
}
