package org.karyo.accesses.impl.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.auth.api.Authenticator;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's access control (ranking 100): authenticates each request through the auth module's
 * {@link Authenticator} ({@code Authorization} and Cohort360's {@code AUTHORIZATIONMETHOD} headers), resolves the
 * caller's rights (intersected with an API token's rights), applies Cohort360's impersonation hook
 * ({@code X-Impersonate: <username>}: a full administrator acts as an existing active user, anyone else gets 403, an
 * unknown user is ignored), audits every impersonated and every service-account request, confines credentials with a
 * pending MFA enrolment to {@code /auth/*}, and checks each method's declared need.
 */
@Component(service = AccessControl.class, property = Constants.SERVICE_RANKING + ":Integer=100")
public final class KaryoAccessControl implements AccessControl {

    static final String IMPERSONATE = "X-Impersonate";
    static final String AUTHORIZATION_METHOD = "AUTHORIZATIONMETHOD";
    private static final Logger LOG = LoggerFactory.getLogger(KaryoAccessControl.class);

    private final Authenticator authenticator;
    private final UserService users;
    private final RightsResolverImpl resolver;
    private final AuditTrail audit;

    @Activate
    public KaryoAccessControl(
            @Reference Authenticator authenticator,
            @Reference UserService users,
            @Reference RightsResolverImpl resolver,
            @Reference AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.users = Objects.requireNonNull(users, "users");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public Caller authenticate(AccessRequest request) {
        // the matched operation's template, never the concrete path (which may carry a username)
        return authenticate(
                request.header("Authorization"),
                request.header(AUTHORIZATION_METHOD),
                request.header(IMPERSONATE),
                request.method(),
                request.operation());
    }

    /** {@link #authenticate(AccessRequest)} on the request's parts. */
    Caller authenticate(String authorization, String method, String impersonate, String httpMethod, String path) {
        Optional<Identity> found = authenticator.authenticate(authorization, method);
        if (found.isEmpty()) {
            return Caller.ANONYMOUS;
        }
        Identity identity = found.get();
        boolean service = identity.method() == Identity.Method.API_TOKEN;
        UserRightsImpl rights = limited(resolver.rightsOf(identity.userId()), identity);
        KaryoCaller real = new KaryoCaller(
                identity.userId(),
                identity.username(),
                rights,
                Optional.empty(),
                service,
                identity.maintenanceExempt(),
                identity.mfaEnrolmentPending());
        KaryoCaller caller = impersonate == null || impersonate.isBlank()
                ? real
                : impersonation(real, identity, impersonate.trim(), httpMethod, path);
        if (service) {
            audit.record(
                    caller,
                    AuditEvent.success("auth.service_call", "user", identity.userId())
                            .with("method", httpMethod)
                            .with("operation", path));
        }
        return caller;
    }

    private static UserRightsImpl limited(UserRightsImpl rights, Identity identity) {
        Optional<Set<String>> limit = identity.rightsLimit();
        return limit.isPresent() ? rights.limitedTo(limit.get()::contains) : rights;
    }

    private KaryoCaller impersonation(
            KaryoCaller real, Identity identity, String username, String httpMethod, String path) {
        if (!real.rights().fullAdmin()) {
            audit.record(
                    real,
                    new AuditEvent("auth.impersonate", "user", null, AuditEvent.Outcome.DENIED, null)
                            .with("method", httpMethod)
                            .with("operation", path));
            throw KaryoException.forbidden("Only a full administrator may impersonate another user");
        }
        Optional<User> target = users.find(username).filter(User::active);
        if (target.isEmpty() || target.get().id().equals(real.id())) {
            LOG.debug("Impersonation header of {} ignored: no such active user", real.id());
            return real;
        }
        User user = target.get();
        KaryoCaller caller = new KaryoCaller(
                user.id(),
                user.username(),
                limited(resolver.rightsOf(user.id()), identity),
                Optional.of(real.id()),
                real.serviceAccount(),
                real.maintenanceExempt(),
                real.mfaEnrolmentPending());
        audit.record(
                caller,
                AuditEvent.success("auth.impersonate", "user", user.id())
                        .with("method", httpMethod)
                        .with("operation", path));
        return caller;
    }

    @Override
    public void authorize(Caller caller, Declarations.Need need, GateRequest request) {
        if (caller instanceof KaryoCaller k && k.mfaEnrolmentPending() && !request.under("/auth")) {
            throw new KaryoException(
                    Kind.FORBIDDEN,
                    "mfa-enrolment-required",
                    "Confirm your second factor first: until then only /auth is reachable",
                    null,
                    null,
                    null);
        }
        if (need instanceof Declarations.PublicNeed) {
            return;
        }
        if (caller == null || !caller.authenticated()) {
            throw KaryoException.unauthenticated("Authentication is required");
        }
        if (need instanceof Declarations.RightNeed r && !caller.hasRight(r.right())) {
            throw KaryoException.forbidden("This operation needs the right " + r.right());
        }
    }
}
