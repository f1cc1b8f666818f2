package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.NewAccess;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;

class AccessResourceTest {

    private static final Instant START = Instant.parse("2030-02-01T00:00:00Z");

    private final FakeAccesses service = new FakeAccesses();
    private final AccessResource resource = new AccessResource(service);

    private static List<String> invalidFields(Runnable call) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void listPassesEveryCohort360FilterAndMapsTheRows() {
        Page<AccessJson> page =
                resource.list("5", "true", "False", "3", "7", "u-42", "Manual", "true", "50", "100", Fixtures.SC);
        assertThat(service.caller).isSameAs(Fixtures.ALICE);
        assertThat(service.query)
                .isEqualTo(new AccessQuery(
                        Optional.of(5L),
                        true,
                        false,
                        Optional.of(3L),
                        Optional.of(7L),
                        Optional.of("u-42"),
                        Optional.of("Manual"),
                        Optional.of(true)));
        assertThat(service.page).isEqualTo(new PageRequest(50, 100, List.of()));
        assertThat(page.count()).isEqualTo(41);
        assertThat(page.limit()).isEqualTo(50);
        assertThat(page.offset()).isEqualTo(100);
        assertThat(page.results()).extracting(AccessJson::id).containsExactly(1L, 2L);
        assertThat(page.results().get(0).perimeter()).contains(new IdName(5, "Hospital 5"));
        assertThat(page.results().get(1).perimeter()).isEmpty();
    }

    @Test
    void listWithoutFiltersAsksForEverythingTheCallerMayManage() {
        resource.list(null, null, null, null, null, null, "", null, null, null, Fixtures.SC);
        assertThat(service.query).isEqualTo(AccessQuery.ALL);
        assertThat(service.page).isEqualTo(new PageRequest(20, 0, List.of()));
    }

    @Test
    void listNamesEveryBadParameterAndCallsNothing() {
        assertThat(invalidFields(() ->
                        resource.list("five", "maybe", "1", "0", "-3", null, null, "valid", "many", "-1", Fixtures.SC)))
                .containsExactlyInAnyOrder(
                        "perimeter_id",
                        "include_parents",
                        "include_children",
                        "role_id",
                        "profile_id",
                        "is_valid",
                        "limit",
                        "offset");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void getClosesAndMapsOneAccessAndABadIdIsNotFound() {
        assertThat(resource.get("9", Fixtures.SC).id()).isEqualTo(9);
        AccessJson closed = resource.close("9", Fixtures.SC);
        assertThat(closed.id()).isEqualTo(9);
        assertThat(closed.role()).isEqualTo(new IdName(3, "Data reader"));
        assertThat(service.calls).containsExactly("get 9", "close 9");
        for (String bad : List.of("x", "0", "")) {
            assertThat(catchThrowableOfType(() -> resource.close(bad, Fixtures.SC), KaryoException.class)
                            .kind())
                    .isEqualTo(Kind.NOT_FOUND);
        }
        assertThat(service.calls).hasSize(2);
    }

    @Test
    void createAnswers201WithLocationAndPassesTheGrant() {
        NewAccessBody body = new NewAccessBody(null, " bob ", 3, 5, START, null);
        Response r = resource.create(body, Fixtures.uri("accesses/accesses"), Fixtures.SC);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/accesses/accesses/77"));
        assertThat(((AccessJson) r.getEntity()).id()).isEqualTo(77);
        assertThat(service.created)
                .isEqualTo(new NewAccess(
                        Optional.of("bob"), Optional.empty(), 3, 5, Optional.of(START), Optional.empty()));

        resource.create(new NewAccessBody(8L, null, 3, 5, null, null), Fixtures.uri("accesses/accesses"), Fixtures.SC);
        assertThat(service.created)
                .isEqualTo(new NewAccess(Optional.empty(), Optional.of(8L), 3, 5, Optional.empty(), Optional.empty()));
    }

    @Test
    void createNeedsExactlyOneUserARoleAndAPerimeter() {
        assertThat(invalidFields(() -> resource.create(
                        new NewAccessBody(null, null, 0, 0, null, null), Fixtures.uri("x"), Fixtures.SC)))
                .containsExactly("username", "role_id", "perimeter_id");
        assertThat(invalidFields(() -> resource.create(
                        new NewAccessBody(8L, "bob", 3, 5, null, null), Fixtures.uri("x"), Fixtures.SC)))
                .containsExactly("username");
        assertThat(invalidFields(() -> resource.create(
                        new NewAccessBody(-8L, null, 3, -5, null, null), Fixtures.uri("x"), Fixtures.SC)))
                .containsExactly("profile_id", "perimeter_id");
        assertThat(invalidFields(() -> resource.create(
                        new NewAccessBody(null, "  ", 3, 5, null, null), Fixtures.uri("x"), Fixtures.SC)))
                .containsExactly("username");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void patchChangesOnlyTheGivenDatesAndRefusesAnEmptyBody() {
        AccessJson a = resource.update("9", new AccessDatesBody(null, START), Fixtures.SC);
        assertThat(a.id()).isEqualTo(9);
        assertThat(service.start).isEmpty();
        assertThat(service.end).contains(START);

        assertThat(invalidFields(() -> resource.update("9", new AccessDatesBody(null, null), Fixtures.SC)))
                .containsExactly("start_datetime");
        assertThat(service.calls).containsExactly("patch 9");
    }

    @Test
    void deleteAnswers204() {
        Response r = resource.delete("9", Fixtures.SC);
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(r.hasEntity()).isFalse();
        assertThat(service.calls).containsExactly("delete 9");
    }

    @Test
    void myAccessesReadsExpiring() {
        assertThat(resource.myAccesses(null, Fixtures.SC))
                .extracting(AccessJson::id)
                .containsExactly(3L);
        assertThat(service.expiring).isFalse();
        resource.myAccesses("true", Fixtures.SC);
        assertThat(service.expiring).isTrue();
        assertThat(invalidFields(() -> resource.myAccesses("soon", Fixtures.SC)))
                .containsExactly("expiring");
        assertThat(service.calls).containsExactly("mine", "mine");
    }

    @Test
    void myDataRightsReadsCommaSeparatedPerimeterIds() {
        List<DataRightJson> rows = resource.myDataRights("1, 2,3", Fixtures.SC);
        assertThat(service.perimeterIds).containsExactly(1L, 2L, 3L);
        assertThat(rows).containsExactly(new DataRightJson(5, "Lab", true, false, true, false, true, false, true));
        resource.myDataRights(null, Fixtures.SC);
        assertThat(service.perimeterIds).isEmpty();
        assertThat(invalidFields(() -> resource.myDataRights("1,b,-3", Fixtures.SC)))
                .containsExactly("perimeters_ids", "perimeters_ids");
        assertThat(service.calls).hasSize(2);
    }
}
