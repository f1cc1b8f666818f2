package org.karyo.rest.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.gate.RequestGate;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.rest.internal.json.Problems;

/** Which requests reach their resource method: declarations first, then gates, then the access control. */
class GatekeeperTest {
    @Public
    static class Declared {
        public void read() {}

        @RequiresRight("content.manage")
        public void write() {}

        @Authenticated
        public void mine() {}
    }

    static class Undeclared {
        public void anything() {}

        @Public
        @RequiresRight("x.y")
        public void both() {}
    }

    private static Method method(Class<?> type, String name) throws Exception {
        return type.getMethod(name);
    }

    private final Gatekeeper gatekeeper = new Gatekeeper();

    @Test
    void undeclaredMethodsAreRefusedFailClosed() throws Exception {
        KaryoException e = catchThrowableOfType(
                () -> gatekeeper.admit(method(Undeclared.class, "anything"), "GET", "/x", null), KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(e.type()).isEqualTo("undeclared-right");
        assertThat(Problems.status(e.kind())).isEqualTo(403);

        KaryoException both = catchThrowableOfType(
                () -> gatekeeper.admit(method(Undeclared.class, "both"), "GET", "/x", null), KaryoException.class);
        assertThat(both.type()).isEqualTo("undeclared-right");

        KaryoException none =
                catchThrowableOfType(() -> gatekeeper.admit(null, "GET", "/x", null), KaryoException.class);
        assertThat(none.type()).isEqualTo("undeclared-right");
    }

    @Test
    void withoutAccessControlOnlyPublicMethodsRunAndTheRestIsRefusedFailClosed() throws Exception {
        assertThat(gatekeeper.accessControlled()).isFalse();
        assertThat(gatekeeper.admit(method(Declared.class, "read"), "GET", "/x", null))
                .isSameAs(Caller.ANONYMOUS);
        KaryoException e = catchThrowableOfType(
                () -> gatekeeper.admit(method(Declared.class, "write"), "POST", "/x", null), KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.type()).isEqualTo("access-control-unavailable");
        KaryoException mine = catchThrowableOfType(
                () -> gatekeeper.admit(method(Declared.class, "mine"), "GET", "/x", null), KaryoException.class);
        assertThat(mine.type()).isEqualTo("access-control-unavailable");
    }

    @Test
    void badCredentialsRefuseEverythingButPublicOperationsWhichRunAsAnonymous() throws Exception {
        gatekeeper.setAccess(new AccessControl() {
            @Override
            public Caller authenticate(AccessRequest request) {
                throw KaryoException.unauthenticated("expired");
            }

            @Override
            public void authorize(Caller caller, Declarations.Need need, GateRequest request) {}
        });
        assertThat(gatekeeper.admit(method(Declared.class, "read"), "GET", "/x", null))
                .isSameAs(Caller.ANONYMOUS);
        KaryoException e = catchThrowableOfType(
                () -> gatekeeper.admit(method(Declared.class, "mine"), "GET", "/x", null), KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void everyGateSeesTheRequestInRankingOrderAndMayRefuse() throws Exception {
        List<String> seen = new ArrayList<>();
        RequestGate low = r ->
                seen.add("low " + r.method() + " " + r.path() + " " + r.caller().id());
        RequestGate high = r -> {
            seen.add("high");
            if (r.isWrite() && !r.under("/maintenances")) {
                throw KaryoException.unavailable("maintenance", "read-only", Map.of(), Duration.ofMinutes(5));
            }
        };
        gatekeeper.addGate(low, Map.of("service.id", 1L));
        gatekeeper.addGate(high, Map.of("service.id", 2L, "service.ranking", 10));
        gatekeeper.setAccess(new AccessControl() {
            @Override
            public Caller authenticate(AccessRequest request) {
                return Caller.ANONYMOUS;
            }

            @Override
            public void authorize(Caller caller, Declarations.Need need, GateRequest request) {}
        });

        gatekeeper.admit(method(Declared.class, "read"), "GET", "/webcontent/contents", null);
        assertThat(seen).containsExactly("high", "low GET /webcontent/contents anonymous");

        KaryoException e = catchThrowableOfType(
                () -> gatekeeper.admit(method(Declared.class, "write"), "POST", "/webcontent/contents", null),
                KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(5));

        gatekeeper.removeGate(high, Map.of("service.id", 2L, "service.ranking", 10));
        gatekeeper.admit(method(Declared.class, "write"), "POST", "/webcontent/contents", null);
    }

    @Test
    void anAccessControlAuthenticatesAndAuthorizesWithoutTouchingResources() throws Exception {
        Caller alice = new Caller() {
            @Override
            public String id() {
                return "alice";
            }

            @Override
            public String getName() {
                return "alice";
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return right.equals("content.read");
            }
        };
        List<GateRequest> gated = new ArrayList<>();
        gatekeeper.addGate(gated::add, Map.of("service.id", 1L));
        AccessControl control = new AccessControl() {
            @Override
            public Caller authenticate(AccessRequest request) {
                return alice;
            }

            @Override
            public void authorize(Caller caller, Declarations.Need need, GateRequest request) {
                if (need instanceof Declarations.RightNeed r && !caller.hasRight(r.right())) {
                    throw KaryoException.forbidden("needs " + r.right());
                }
            }
        };
        gatekeeper.setAccess(control);
        assertThat(gatekeeper.accessControlled()).isTrue();

        assertThat(gatekeeper.admit(method(Declared.class, "read"), "GET", "/a", null))
                .isSameAs(alice);
        assertThat(gated).extracting(GateRequest::caller).containsExactly(alice);
        KaryoException refused = catchThrowableOfType(
                () -> gatekeeper.admit(method(Declared.class, "write"), "POST", "/a", null), KaryoException.class);
        assertThat(refused.kind()).isEqualTo(Kind.FORBIDDEN);

        gatekeeper.unsetAccess(control);
        assertThat(catchThrowableOfType(
                                () -> gatekeeper.admit(method(Declared.class, "write"), "POST", "/a", null),
                                KaryoException.class)
                        .kind())
                .isEqualTo(Kind.UNAVAILABLE);
    }
}
