package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;

class RoleResourceTest {

    private final FakeRoles service = new FakeRoles();
    private final RoleResource resource = new RoleResource(service);

    RoleResourceTest() {
        service.roles.put(4L, Fixtures.role(4, "Reader", AccessRights.READ_PATIENT_PSEUDONYMIZED, "content.manage"));
    }

    /** Calls the list endpoint as JAX-RS would for a query string given as name/value pairs. */
    private Page<RoleJson> list(String... query) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            q.put(query[i], query[i + 1]);
        }
        List<String> flags = new ArrayList<>();
        for (String key : AccessRights.ALL) {
            flags.add(q.get(AccessRights.flag(key)));
        }
        return resource.list(
                q.get("name"),
                q.get("rights"),
                flags.get(0),
                flags.get(1),
                flags.get(2),
                flags.get(3),
                flags.get(4),
                flags.get(5),
                flags.get(6),
                flags.get(7),
                flags.get(8),
                flags.get(9),
                flags.get(10),
                flags.get(11),
                flags.get(12),
                flags.get(13),
                flags.get(14),
                flags.get(15),
                q.get("limit"),
                q.get("offset"),
                Fixtures.uri("accesses/roles", query),
                Fixtures.SC);
    }

    private static List<String> invalidFields(Runnable call) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void listPassesTheNameTheRightsListAndEveryTrueFlagAsRequiredRights() {
        Page<RoleJson> page = list(
                "name", " read ",
                "rights", "content.manage, omics.read",
                "right_read_patient_pseudonymized", "true",
                "right_search_opposed_patients", "TRUE",
                "limit", "5",
                "offset", "10");
        assertThat(service.caller).isSameAs(Fixtures.ALICE);
        assertThat(service.name).contains("read");
        assertThat(service.withRights)
                .containsExactlyInAnyOrder(
                        "content.manage",
                        "omics.read",
                        AccessRights.READ_PATIENT_PSEUDONYMIZED,
                        AccessRights.SEARCH_OPPOSED_PATIENTS);
        assertThat(service.page).isEqualTo(new PageRequest(5, 10, List.of()));
        assertThat(page.results()).extracting(RoleJson::name).containsExactly("Reader");
        assertThat(page.results().get(0).rightReadPatientPseudonymized()).isTrue();
        assertThat(page.results().get(0).rightFullAdmin()).isFalse();
    }

    @Test
    void eachOfTheSixteenFlagFiltersSelectsItsOwnRight() {
        for (String key : AccessRights.ALL) {
            list(AccessRights.flag(key), "true");
            assertThat(service.withRights).as(key).containsExactly(key);
        }
    }

    @Test
    void listWithoutParametersAsksForTheFirstTwenty() {
        list();
        assertThat(service.name).isEmpty();
        assertThat(service.withRights).isEmpty();
        assertThat(service.page).isEqualTo(new PageRequest(20, 0, List.of()));
    }

    @Test
    void listNamesEveryBadParameterAndCallsNothing() {
        assertThat(invalidFields(() -> list(
                        "right_full_admin", "false",
                        "right_manage_users", "yes",
                        "right_read_logs", "true",
                        "limit", "0",
                        "offset", "x")))
                .containsExactlyInAnyOrder(
                        "right_full_admin", "right_manage_users", "right_read_logs", "limit", "offset");
        assertThat(invalidFields(() -> list("limit", "30001"))).containsExactly("limit");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void getMapsTheRoleAndABadIdIsNotFoundWithoutAskingTheService() {
        RoleJson r = resource.get("4", Fixtures.SC);
        assertThat(r.id()).isEqualTo(4);
        assertThat(r.rights()).containsExactly(AccessRights.READ_PATIENT_PSEUDONYMIZED, "content.manage");
        assertThat(service.calls).containsExactly("get 4");
        for (String bad : List.of("abc", "0", "-1", "1.5", "99999999999999999999")) {
            KaryoException e = catchThrowableOfType(() -> resource.get(bad, Fixtures.SC), KaryoException.class);
            assertThat(e.kind()).as(bad).isEqualTo(Kind.NOT_FOUND);
        }
        assertThat(service.calls).containsExactly("get 4");
    }

    @Test
    void createAnswers201WithLocationAndMergesTheListAndTheFlags() {
        RoleBody body = new RoleBody(
                " Data manager ",
                List.of("content.manage", AccessRights.READ_DATALABS),
                null,
                true,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                true,
                null,
                null,
                null,
                null,
                null,
                null);
        Response r = resource.create(body, Fixtures.uri("accesses/roles"), Fixtures.SC);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/accesses/roles/100"));
        assertThat(service.newName).contains("Data manager");
        assertThat(service.newRights.orElseThrow())
                .containsExactlyInAnyOrder(
                        "content.manage", AccessRights.MANAGE_USERS, AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL);
        RoleJson json = (RoleJson) r.getEntity();
        assertThat(json.rightManageUsers()).isTrue();
        assertThat(json.rightManageDataAccessesSameLevel()).isTrue();
        assertThat(json.rightReadDatalabs()).isFalse();
    }

    @Test
    void createWithoutANameOrWithABlankRightIsNamed() {
        RoleBody noName = new RoleBody(
                " ",
                java.util.Arrays.asList("ok.right", null, " "),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(invalidFields(() -> resource.create(noName, Fixtures.uri("accesses/roles"), Fixtures.SC)))
                .containsExactly("name", "rights[1]", "rights[2]");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void patchWithFlagsOnlyAppliesThemOnTopOfTheCurrentRights() {
        RoleBody flags = new RoleBody(
                null, null, null, true, null, null, null, null, null, null, null, null, null, null, false, null, null,
                null);
        RoleJson r = resource.update("4", flags, Fixtures.SC);
        assertThat(service.calls).containsExactly("get 4", "update 4");
        assertThat(service.newName).isEmpty();
        assertThat(service.newRights.orElseThrow())
                .containsExactlyInAnyOrder(AccessRights.MANAGE_USERS, "content.manage");
        assertThat(r.rightManageUsers()).isTrue();
        assertThat(r.rightReadPatientPseudonymized()).isFalse();
    }

    @Test
    void patchOfTheNameAloneLeavesTheRights() {
        RoleBody rename = new RoleBody(
                "Readers", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
        resource.update("4", rename, Fixtures.SC);
        assertThat(service.newName).contains("Readers");
        assertThat(service.newRights).isEmpty();
        assertThat(service.calls).containsExactly("update 4");
    }

    @Test
    void patchWithARightsListReplacesTheSetWithoutReadingIt() {
        RoleBody replace = new RoleBody(
                null,
                List.of("content.manage"),
                true,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        resource.update("4", replace, Fixtures.SC);
        assertThat(service.newRights.orElseThrow())
                .containsExactlyInAnyOrder("content.manage", AccessRights.FULL_ADMIN);
        assertThat(service.calls).containsExactly("update 4");
    }

    @Test
    void anEmptyOrBlankPatchIsRefused() {
        RoleBody empty = new RoleBody(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
        assertThat(invalidFields(() -> resource.update("4", empty, Fixtures.SC)))
                .containsExactly("name");
        RoleBody blank = new RoleBody(
                "", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
        assertThat(invalidFields(() -> resource.update("4", blank, Fixtures.SC)))
                .containsExactly("name");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void deleteAnswers204() {
        Response r = resource.delete("4", Fixtures.SC);
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(service.calls).containsExactly("delete 4");
    }

    @Test
    void assignableNeedsAPerimeterId() {
        assertThat(invalidFields(() -> resource.assignable(null, Fixtures.SC))).containsExactly("perimeter_id");
        assertThat(invalidFields(() -> resource.assignable("", Fixtures.SC))).containsExactly("perimeter_id");
        assertThat(invalidFields(() -> resource.assignable("abc", Fixtures.SC))).containsExactly("perimeter_id");
        assertThat(invalidFields(() -> resource.assignable("-2", Fixtures.SC))).containsExactly("perimeter_id");
        assertThat(service.calls).isEmpty();

        List<RoleJson> roles = resource.assignable("12", Fixtures.SC);
        assertThat(service.perimeterId).isEqualTo(12);
        assertThat(roles).extracting(RoleJson::id).containsExactly(4L);
    }

    @Test
    void usersPassesTheNameFilterAndPaging() {
        Page<RoleHolderJson> page = resource.users("4", "caro", "10", null, Fixtures.SC);
        assertThat(service.calls).containsExactly("holders 4");
        assertThat(service.name).isEqualTo(Optional.of("caro"));
        assertThat(service.page).isEqualTo(new PageRequest(10, 0, List.of()));
        assertThat(page.results()).containsExactly(new RoleHolderJson("u-9", "carol", "Carol C (carol)", 4, "Lab"));
        assertThat(invalidFields(() -> resource.users("4", null, "-1", null, Fixtures.SC)))
                .containsExactly("limit");
        assertThat(Set.copyOf(service.calls)).containsExactly("holders 4");
    }
}
