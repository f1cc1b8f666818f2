package org.karyo.accesses.impl.internal;

import java.util.Objects;
import java.util.Optional;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;

/**
 * An authenticated caller with its resolved rights (already limited to a service-account token's rights, and those of
 * the impersonated user when a full administrator impersonates). Built per request by {@link KaryoAccessControl} and
 * per command by {@link ConsoleIdentityImpl}.
 */
final class KaryoCaller implements Caller {

    private final String userId;
    private final String username;
    private final UserRightsImpl rights;
    private final Optional<String> impersonatedBy;
    private final boolean serviceAccount;
    private final boolean maintenanceExempt;
    private final boolean mfaEnrolmentPending;

    KaryoCaller(
            String userId,
            String username,
            UserRightsImpl rights,
            Optional<String> impersonatedBy,
            boolean serviceAccount,
            boolean maintenanceExempt,
            boolean mfaEnrolmentPending) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.username = Objects.requireNonNull(username, "username");
        this.rights = Objects.requireNonNull(rights, "rights");
        this.impersonatedBy = impersonatedBy;
        this.serviceAccount = serviceAccount;
        this.maintenanceExempt = maintenanceExempt;
        this.mfaEnrolmentPending = mfaEnrolmentPending;
    }

    UserRightsImpl rights() {
        return rights;
    }

    String username() {
        return username;
    }

    /** Whether the credentials reach only {@code /auth/*} until a second factor is confirmed. */
    boolean mfaEnrolmentPending() {
        return mfaEnrolmentPending;
    }

    @Override
    public String id() {
        return userId;
    }

    @Override
    public String getName() {
        return username;
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    @Override
    public boolean hasRight(String right) {
        return rights.has(right);
    }

    @Override
    public boolean hasRightOn(String right, long perimeterId) {
        return rights.hasOn(right, perimeterId);
    }

    @Override
    public Scope scope(String right) {
        return rights.scope(right);
    }

    @Override
    public Optional<String> impersonatedBy() {
        return impersonatedBy;
    }

    @Override
    public boolean serviceAccount() {
        return serviceAccount;
    }

    @Override
    public boolean maintenanceExempt() {
        return maintenanceExempt;
    }

    @Override
    public String toString() {
        return "Caller[" + userId
                + impersonatedBy.map(a -> " impersonated by " + a).orElse("") + "]";
    }
}
