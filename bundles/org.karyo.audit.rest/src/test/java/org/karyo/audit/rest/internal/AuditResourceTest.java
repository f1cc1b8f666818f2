package org.karyo.audit.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent.Outcome;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.AuditService;
import org.karyo.audit.api.VerifyReport;

class AuditResourceTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** A hand-written AuditService that records what it is asked. */
    private static final class FakeAudit implements AuditService {
        final List<Object[]> lists = new ArrayList<>();
        VerifyReport report = VerifyReport.intact(0, 0, null);
        Page<AuditEntry> page = new Page<>(0, 20, 0, List.of());

        @Override
        public Page<AuditEntry> list(Caller caller, AuditQuery query, PageRequest pageRequest) {
            lists.add(new Object[] {caller, query, pageRequest});
            return page;
        }

        @Override
        public VerifyReport verify() {
            return report;
        }
    }

    private final FakeAudit service = new FakeAudit();
    private final AuditResource resource = new AuditResource(service);
    private final Caller admin = caller("admin-1");
    private final SecurityContext security = new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
            return admin;
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

    private static Caller caller(String id) {
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return true;
            }
        };
    }

    private Page<AuditEntry> list(
            String actor,
            String action,
            String type,
            String id,
            String outcome,
            String from,
            String to,
            String limit,
            String offset,
            String ordering) {
        return resource.list(actor, action, type, id, outcome, from, to, limit, offset, ordering, security);
    }

    @Test
    void everyEndpointNeedsFullAdmin() {
        List<Method> endpoints = Arrays.stream(AuditResource.class.getMethods())
                .filter(m -> m.isAnnotationPresent(GET.class)
                        || m.isAnnotationPresent(POST.class)
                        || m.isAnnotationPresent(PUT.class)
                        || m.isAnnotationPresent(PATCH.class)
                        || m.isAnnotationPresent(DELETE.class))
                .toList();
        assertThat(endpoints).extracting(Method::getName).containsExactlyInAnyOrder("list", "verify");
        for (Method m : endpoints) {
            assertThat(Declarations.of(m)).as(m.getName()).contains(new Declarations.RightNeed("accesses.full_admin"));
        }
        assertThat(AuditResource.class.getAnnotation(Path.class).value()).isEqualTo("audit");
    }

    @Test
    void withoutParametersTheFirstTwentyNewestFirstOfEverything() {
        list(null, null, null, null, null, null, null, null, null, null);
        Object[] call = service.lists.get(0);
        assertThat(call[0]).isSameAs(admin);
        assertThat(call[1]).isEqualTo(AuditQuery.all());
        assertThat(call[2]).isEqualTo(new PageRequest(20, 0, List.of(new Sort("seq", true))));
    }

    @Test
    void filtersAndPagingArePassedOn() {
        AuditEntry e = new AuditEntry(
                9,
                T,
                "u-1",
                null,
                false,
                "auth.login.failure",
                null,
                null,
                Outcome.FAILURE,
                Map.of(),
                "r",
                "ip",
                "0".repeat(64),
                "1".repeat(64));
        service.page = new Page<>(1, 5, 10, List.of(e));

        Page<AuditEntry> page = list(
                " u-1 ",
                "auth.login.*",
                "user",
                "u-2",
                "failure",
                "2026-03-01T00:00:00Z",
                "2026-03-02T01:00:00+01:00",
                "5",
                "10",
                "seq");

        assertThat(page).isSameAs(service.page);
        assertThat(service.lists.get(0)[1])
                .isEqualTo(new AuditQuery(
                        "u-1",
                        "auth.login.*",
                        "user",
                        "u-2",
                        Outcome.FAILURE,
                        Instant.parse("2026-03-01T00:00:00Z"),
                        Instant.parse("2026-03-02T00:00:00Z")));
        assertThat(service.lists.get(0)[2]).isEqualTo(new PageRequest(5, 10, List.of(new Sort("seq", false))));
    }

    @Test
    void everyBadParameterIsNamedInOne400AndTheServiceIsNotAsked() {
        assertThatThrownBy(() -> list(
                        "x".repeat(256),
                        "auth.*.failure",
                        "t".repeat(65),
                        "i".repeat(256),
                        "MAYBE",
                        "yesterday",
                        "2026-13-01T00:00:00Z",
                        "0",
                        "-1",
                        "at"))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors())
                            .extracting(FieldError::field)
                            .containsExactlyInAnyOrder(
                                    "actor",
                                    "action",
                                    "object_type",
                                    "object_id",
                                    "outcome",
                                    "from",
                                    "to",
                                    "limit",
                                    "offset",
                                    "ordering");
                });
        assertThatThrownBy(() -> list(
                        null, null, null, null, null, "2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z", null, null, null))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("to", "must be after from")));
        assertThat(service.lists).isEmpty();
    }

    @Test
    void verifyReturnsTheServicesReport() {
        service.report = VerifyReport.broken(2, 1, 3, "entry 3's content does not match its hash");
        assertThat(resource.verify()).isSameAs(service.report);
    }
}
