package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.User;
import org.karyo.testing.RecordingAuditTrail;

/** The platform hook: authentication, rights limits, impersonation, service-account audit, MFA confinement, needs. */
class AccessControlTest {

    private static TestEnv env;

    @BeforeAll
    static void database() {
        env = new TestEnv();
    }

    @AfterAll
    static void drop() {
        env.close();
    }

    @BeforeEach
    void fixture() {
        env.reset();
        env.authenticator.tokens.clear();
        env.tree();
        env.roles();
        env.grant("admin", "FULL ADMIN", "APHP");
        env.grant("reader", "DATA NOMI READER", "P1");
        env.grant("manager", "DATA ACCESSES MANAGER", "P0");
        token("admin-token", "admin", Identity.Method.TOKEN, Optional.empty(), false);
        token("reader-token", "reader", Identity.Method.TOKEN, Optional.empty(), false);
        token("manager-token", "manager", Identity.Method.TOKEN, Optional.empty(), false);
    }

    private void token(
            String token, String username, Identity.Method method, Optional<Set<String>> limit, boolean mfa) {
        User u = env.user(username);
        env.authenticator.tokens.put(
                token,
                new Identity(
                        u.id(),
                        u.username(),
                        method,
                        Optional.of("session"),
                        "karyo-ui",
                        limit,
                        method == Identity.Method.API_TOKEN,
                        mfa,
                        Instant.now().plusSeconds(300)));
    }

    private Caller authenticate(String token, String impersonate) {
        return env.accessControl.authenticate(
                token == null ? null : "Bearer " + token, "JWT", impersonate, "GET", "/accesses/accesses");
    }

    private static Kind kindOf(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.kind();
        }
        return null;
    }

    @Test
    void noCredentialsIsAnonymousAndBadOnesUnauthenticated() {
        assertThat(authenticate(null, null)).isSameAs(Caller.ANONYMOUS);
        assertThat(authenticate(null, "admin")).isSameAs(Caller.ANONYMOUS);
        assertThat(kindOf(() -> authenticate("bad", null))).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void aCallerCarriesItsUsersRights() {
        Caller reader = authenticate("reader-token", null);
        assertThat(reader.authenticated()).isTrue();
        assertThat(reader.id()).isEqualTo(env.user("reader").id());
        assertThat(reader.getName()).isEqualTo("reader");
        assertThat(reader.hasRight(AccessRights.READ_PATIENT_NOMINATIVE)).isTrue();
        assertThat(reader.hasRightOn(AccessRights.READ_PATIENT_NOMINATIVE, env.id("P6")))
                .isTrue();
        assertThat(reader.hasRightOn(AccessRights.READ_PATIENT_NOMINATIVE, env.id("P2")))
                .isFalse();
        assertThat(reader.scope(AccessRights.READ_PATIENT_NOMINATIVE).perimeterIds())
                .containsExactlyInAnyOrder(env.id("P1"), env.id("P6"), env.id("P7"));
        assertThat(reader.scope(AccessRights.SEARCH_PATIENTS_BY_IPP).isAll()).isTrue();
        assertThat(reader.serviceAccount()).isFalse();
        assertThat(reader.impersonatedBy()).isEmpty();
        assertThat(env.audit.entries()).isEmpty(); // plain requests are not audited here
    }

    @Test
    void aServiceAccountTokenIsLimitedToItsRightsAndEveryCallIsAudited() {
        token(
                "svc",
                "admin",
                Identity.Method.API_TOKEN,
                Optional.of(Set.of(AccessRights.READ_PATIENT_NOMINATIVE)),
                false);
        Caller svc = authenticate("svc", null);
        assertThat(svc.serviceAccount()).isTrue();
        assertThat(svc.maintenanceExempt()).isTrue();
        assertThat(svc.hasRight(AccessRights.READ_PATIENT_NOMINATIVE)).isTrue();
        assertThat(svc.hasRight(AccessRights.FULL_ADMIN)).isFalse();
        assertThat(svc.hasRight(AccessRights.MANAGE_USERS)).isFalse();
        assertThat(svc.scope(AccessRights.MANAGE_USERS).isEmpty()).isTrue();
        assertThat(env.audit.entries()).hasSize(1);
        AuditEvent e = env.audit.last().event();
        assertThat(e.action()).isEqualTo("auth.service_call");
        assertThat(e.details()).containsEntry("method", "GET").containsEntry("operation", "/accesses/accesses");
        // the services follow the limit: no access-management right, no access list
        assertThat(kindOf(() -> env.accesses.list(svc, AccessQuery.ALL, new PageRequest(10, 0, List.of()))))
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void aFullAdministratorImpersonatesAnActiveUserAndIsAudited() {
        Caller as = authenticate("admin-token", "reader");
        assertThat(as.id()).isEqualTo(env.user("reader").id());
        assertThat(as.impersonatedBy()).contains(env.user("admin").id());
        assertThat(as.hasRight(AccessRights.FULL_ADMIN)).isFalse();
        assertThat(as.hasRightOn(AccessRights.READ_PATIENT_NOMINATIVE, env.id("P7")))
                .isTrue();
        RecordingAuditTrail.Entry entry = env.audit.last();
        assertThat(entry.event().action()).isEqualTo("auth.impersonate");
        assertThat(entry.event().objectId()).isEqualTo(env.user("reader").id());
        assertThat(entry.actorId()).isEqualTo(env.user("reader").id());
        assertThat(entry.impersonatorId()).isEqualTo(env.user("admin").id());
        assertThat(entry.event().details()).containsEntry("operation", "/accesses/accesses");
        // the services act as the impersonated user
        assertThat(env.accesses.myAccesses(as, false))
                .extracting(a -> a.username())
                .containsOnly("reader");
    }

    @Test
    void anUnknownOrDisabledUserIsIgnored() {
        Caller unknown = authenticate("admin-token", "ghost");
        assertThat(unknown.id()).isEqualTo(env.user("admin").id());
        assertThat(unknown.impersonatedBy()).isEmpty();
        env.users.disable("reader");
        assertThat(authenticate("admin-token", "reader").id())
                .isEqualTo(env.user("admin").id());
        assertThat(env.audit.entries()).isEmpty();
    }

    @Test
    void anyoneElseWhoImpersonatesIsForbidden() {
        assertThat(kindOf(() -> authenticate("manager-token", "reader"))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> authenticate("reader-token", "ghost"))).isEqualTo(Kind.FORBIDDEN);
        assertThat(env.audit.last().event().outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
        assertThat(env.audit.last().event().action()).isEqualTo("auth.impersonate");
        // a service token of an administrator that does not carry full_admin cannot impersonate either
        token("svc", "admin", Identity.Method.API_TOKEN, Optional.of(Set.of(AccessRights.MANAGE_USERS)), false);
        assertThat(kindOf(() -> authenticate("svc", "reader"))).isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void anImpersonatingServiceTokenKeepsItsLimit() {
        token("svc", "admin", Identity.Method.API_TOKEN, Optional.of(Set.of(AccessRights.FULL_ADMIN)), false);
        Caller as = authenticate("svc", "reader");
        assertThat(as.id()).isEqualTo(env.user("reader").id());
        assertThat(as.hasRight(AccessRights.READ_PATIENT_NOMINATIVE)).isFalse();
        assertThat(as.serviceAccount()).isTrue();
        assertThat(env.audit.actions()).containsExactly("auth.impersonate", "auth.service_call");
    }

    @Test
    void theHeadersAreReadFromTheRequest() {
        // header names in any case, as HTTP sends them
        AccessRequest request = new AccessRequest(
                "PATCH",
                "/accesses/accesses/{id}",
                Map.of(
                        "authorization",
                        "Bearer admin-token",
                        "AUTHORIZATIONMETHOD",
                        "JWT",
                        "x-impersonate",
                        " reader "));
        Caller as = env.accessControl.authenticate(request);
        assertThat(as.impersonatedBy()).contains(env.user("admin").id());
        assertThat(env.audit.last().event().details())
                .as("the operation's template is recorded, never the concrete path")
                .isEqualTo(Map.of("method", "PATCH", "operation", "/accesses/accesses/{id}"));
    }

    @Test
    void authorizeChecksTheDeclaredNeed() {
        Caller reader = authenticate("reader-token", null);
        GateRequest get = new GateRequest("GET", "/accesses/roles", reader);
        env.accessControl.authorize(Caller.ANONYMOUS, new Declarations.PublicNeed(), get);
        env.accessControl.authorize(reader, new Declarations.AuthenticatedNeed(), get);
        env.accessControl.authorize(reader, new Declarations.RightNeed(AccessRights.READ_PATIENT_NOMINATIVE), get);
        assertThat(kindOf(
                        () -> env.accessControl.authorize(Caller.ANONYMOUS, new Declarations.AuthenticatedNeed(), get)))
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> env.accessControl.authorize(
                        Caller.ANONYMOUS, new Declarations.RightNeed(AccessRights.MANAGE_USERS), get)))
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> env.accessControl.authorize(
                        reader, new Declarations.RightNeed(AccessRights.MANAGE_USERS), get)))
                .isEqualTo(Kind.FORBIDDEN);
        // a right of no installed module grants nothing, even to a full administrator
        Caller admin = authenticate("admin-token", null);
        env.accessControl.authorize(admin, new Declarations.RightNeed(AccessRights.MANAGE_USERS), get);
        assertThat(kindOf(() -> env.accessControl.authorize(admin, new Declarations.RightNeed("ghost.read"), get)))
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void aPendingMfaEnrolmentReachesAuthOnly() {
        token("pending", "admin", Identity.Method.TOKEN, Optional.empty(), true);
        Caller pending = authenticate("pending", null);
        env.accessControl.authorize(
                pending, new Declarations.AuthenticatedNeed(), new GateRequest("POST", "/auth/mfa/confirm", pending));
        env.accessControl.authorize(pending, new Declarations.PublicNeed(), new GateRequest("GET", "/auth", pending));
        assertThat(kindOf(() -> env.accessControl.authorize(
                        pending, new Declarations.PublicNeed(), new GateRequest("GET", "/authors", pending))))
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> env.accessControl.authorize(
                        pending,
                        new Declarations.RightNeed(AccessRights.MANAGE_USERS),
                        new GateRequest("GET", "/accesses/roles", pending))))
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void theConsoleIdentityMapsConsoleUsers() {
        ConsoleIdentityImpl byDefault = new ConsoleIdentityImpl(env.users, env.resolver, env.settings);
        env.users.add("admin-x"); // not the bootstrap admin
        Caller c = byDefault.resolve("karaf");
        assertThat(c.id()).isEqualTo(env.user("admin").id());
        assertThat(c.hasRight(AccessRights.FULL_ADMIN)).isTrue();
        assertThat(byDefault.resolve(null).id()).isEqualTo(env.user("admin").id());

        AccessesSettings mapped = Fakes.settings(env.clock, Map.of("console_users", "karaf=admin, ops = reader"));
        ConsoleIdentityImpl explicit = new ConsoleIdentityImpl(env.users, env.resolver, mapped);
        assertThat(explicit.resolve("ops").id()).isEqualTo(env.user("reader").id());
        assertThat(explicit.resolve("ops").hasRight(AccessRights.FULL_ADMIN)).isFalse();
        assertThat(kindOf(() -> explicit.resolve("eve"))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> explicit.resolve(null))).isEqualTo(Kind.UNAUTHENTICATED);
        env.users.disable("reader");
        assertThat(kindOf(() -> explicit.resolve("ops"))).isEqualTo(Kind.UNAUTHENTICATED);
        AccessesSettings missing = Fakes.settings(env.clock, Map.of("console_users", "karaf=nobody"));
        assertThat(kindOf(() -> new ConsoleIdentityImpl(env.users, env.resolver, missing).resolve("karaf")))
                .isEqualTo(Kind.UNAUTHENTICATED);
    }
}
