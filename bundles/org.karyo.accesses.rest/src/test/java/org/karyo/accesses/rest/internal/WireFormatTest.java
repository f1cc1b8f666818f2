package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.AccessService.DataRight;
import org.karyo.accesses.api.AccessService.ReadPermission;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.Right;
import org.karyo.api.FieldError;
import org.karyo.api.Validator;
import org.karyo.api.security.RightDefinition.RightScope;
import org.karyo.rest.internal.json.PlatformJson;
import org.karyo.rest.internal.json.PlatformJson.BadBody;

/** The JSON the resources' DTOs give with the platform's own mapper: Cohort360's field names and the 400s. */
class WireFormatTest {

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> refusedFields(Class<?> type, String json) {
        BadBody e = catchThrowableOfType(() -> PlatformJson.read(type, json), BadBody.class);
        assertThat(e).as(json).isNotNull();
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aRoleRendersEachOfTheSixteenAsItsCohort360Flag() {
        for (String key : AccessRights.ALL) {
            JsonNode json = PlatformJson.write(RoleJson.of(Fixtures.role(4, "Only one", key)));
            for (String other : AccessRights.ALL) {
                assertThat(json.get(AccessRights.flag(other)).asBoolean())
                        .as(key + " -> " + AccessRights.flag(other))
                        .isEqualTo(other.equals(key));
            }
            assertThat(json.get("rights").toString()).isEqualTo("[\"" + key + "\"]");
        }
    }

    @Test
    void aRoleListsEveryKeyIncludingOtherModulesAndItsDates() {
        JsonNode json = PlatformJson.write(
                RoleJson.of(Fixtures.role(4, "Editor", "content.manage", AccessRights.MANAGE_USERS)));
        assertThat(fields(json))
                .startsWith("id", "name", "rights", "right_full_admin")
                .endsWith("right_search_opposed_patients", "created_at", "updated_at")
                .hasSize(3 + 16 + 2);
        assertThat(json.get("rights").toString()).isEqualTo("[\"accesses.manage_users\",\"content.manage\"]");
        assertThat(json.get("right_manage_users").asBoolean()).isTrue();
        assertThat(json.get("created_at").asText()).isEqualTo("2030-01-02T03:04:05Z");
        assertThat(json.get("updated_at").asText()).isEqualTo("2030-01-02T03:05:05Z");
    }

    @Test
    void eachCohort360FlagInARoleBodyNamesItsRight() throws BadBody {
        for (String key : AccessRights.ALL) {
            RoleBody on = PlatformJson.read(RoleBody.class, "{\"name\":\"r\",\"" + AccessRights.flag(key) + "\":true}");
            assertThat(on.flags()).as(key).isEqualTo(Map.of(key, true));
            RoleBody off = PlatformJson.read(RoleBody.class, "{\"" + AccessRights.flag(key) + "\":false}");
            assertThat(off.flags()).as(key).isEqualTo(Map.of(key, false));
        }
    }

    @Test
    void flagsApplyOnTopOfTheRightsList() throws BadBody {
        RoleBody body = PlatformJson.read(
                RoleBody.class,
                "{\"name\":\"Reader\",\"rights\":[\"content.manage\",\"accesses.read_datalabs\"],"
                        + "\"right_read_datalabs\":false,\"right_read_patient_nominative\":true}");
        Validator v = new Validator();
        assertThat(body.mergedRights(Set.of("ignored.when_a_list_is_given"), v))
                .containsExactlyInAnyOrder("content.manage", AccessRights.READ_PATIENT_NOMINATIVE);
        assertThat(v.hasErrors()).isFalse();

        RoleBody flagsOnly = PlatformJson.read(RoleBody.class, "{\"right_manage_users\":true}");
        assertThat(flagsOnly.mergedRights(Set.of("content.manage"), v))
                .containsExactlyInAnyOrder("content.manage", AccessRights.MANAGE_USERS);
    }

    @Test
    void anUnknownRightFlagOrFieldIsRefusedByName() {
        assertThat(refusedFields(RoleBody.class, "{\"name\":\"r\",\"right_read_logs\":true}"))
                .containsExactly("right_read_logs");
        assertThat(refusedFields(RoleBody.class, "{\"name\":\"r\",\"right_manage_users\":\"yes\"}"))
                .containsExactly("right_manage_users");
        assertThat(refusedFields(RoleBody.class, "{\"name\":\"r\",\"rights\":\"accesses.manage_users\"}"))
                .containsExactly("rights");
    }

    @Test
    void anAccessHasCohort360sFieldsAndANullPerimeterWhenUnset() {
        JsonNode json = PlatformJson.write(AccessJson.of(Fixtures.access(9, Optional.of(5L))));
        assertThat(fields(json))
                .containsExactly(
                        "id",
                        "profile_id",
                        "user_id",
                        "username",
                        "role",
                        "perimeter",
                        "start_datetime",
                        "end_datetime",
                        "source",
                        "is_valid",
                        "editable",
                        "created_by",
                        "updated_by",
                        "created_at",
                        "updated_at");
        assertThat(json.get("role").toString()).isEqualTo("{\"id\":3,\"name\":\"Data reader\"}");
        assertThat(json.get("perimeter").toString()).isEqualTo("{\"id\":5,\"name\":\"Hospital 5\"}");
        assertThat(json.get("is_valid").asBoolean()).isTrue();
        assertThat(json.get("editable").asBoolean()).isFalse();
        assertThat(json.get("start_datetime").asText()).isEqualTo("2030-01-02T03:04:05Z");
        assertThat(json.get("end_datetime").asText()).isEqualTo("2030-01-02T04:04:05Z");
        assertThat(json.get("created_by").asText()).isEqualTo("u-1");
        assertThat(json.get("updated_by").isNull()).isTrue();

        JsonNode orphan = PlatformJson.write(AccessJson.of(Fixtures.access(9, Optional.empty())));
        assertThat(orphan.get("perimeter").isNull()).isTrue();
    }

    @Test
    void aNewAccessNamesTheUserByUsernameOrCohort360sProviderUsername() throws BadBody {
        NewAccessBody a = PlatformJson.read(
                NewAccessBody.class,
                "{\"username\":\"bob\",\"role_id\":3,\"perimeter_id\":5,\"start_datetime\":\"2030-01-01T00:00:00Z\","
                        + "\"end_datetime\":\"2030-06-01T02:00:00+02:00\"}");
        assertThat(a)
                .isEqualTo(new NewAccessBody(
                        null,
                        "bob",
                        3,
                        5,
                        Instant.parse("2030-01-01T00:00:00Z"),
                        Instant.parse("2030-06-01T00:00:00Z")));
        NewAccessBody b = PlatformJson.read(
                NewAccessBody.class, "{\"provider_username\":\"bob\",\"role_id\":3,\"perimeter_id\":5}");
        assertThat(b.username()).isEqualTo("bob");
        NewAccessBody c = PlatformJson.read(NewAccessBody.class, "{\"profile_id\":8,\"role_id\":3,\"perimeter_id\":5}");
        assertThat(c.profileId()).isEqualTo(8L);
    }

    @Test
    void badDatesAndUnknownFieldsOfANewAccessAreNamed() {
        assertThat(refusedFields(
                        NewAccessBody.class,
                        "{\"username\":\"bob\",\"role_id\":3,\"perimeter_id\":5,\"start_datetime\":\"tomorrow\"}"))
                .containsExactly("start_datetime");
        assertThat(refusedFields(
                        NewAccessBody.class,
                        "{\"username\":\"bob\",\"role_id\":3,\"perimeter_id\":5,\"end_datetime\":1893456000}"))
                .containsExactly("end_datetime");
        assertThat(refusedFields(NewAccessBody.class, "{\"username\":\"bob\",\"role_id\":\"3\",\"perimeter_id\":5}"))
                .containsExactly("role_id");
        assertThat(refusedFields(NewAccessBody.class, "{\"user\":\"bob\",\"role_id\":3,\"perimeter_id\":5}"))
                .containsExactly("user");
    }

    @Test
    void anAccessPatchTakesOnlyTheDatesAndNamesAnyOtherField() throws BadBody {
        AccessDatesBody ok = PlatformJson.read(AccessDatesBody.class, "{\"end_datetime\":\"2031-01-01T00:00:00Z\"}");
        assertThat(ok).isEqualTo(new AccessDatesBody(null, Instant.parse("2031-01-01T00:00:00Z")));
        assertThat(refusedFields(AccessDatesBody.class, "{\"role_id\":4}")).containsExactly("role_id");
        assertThat(refusedFields(AccessDatesBody.class, "{\"end_datetime\":\"2031-01-01\",\"perimeter_id\":4}"))
                .containsExactly("end_datetime");
        assertThat(refusedFields(AccessDatesBody.class, "{\"start_datetime\":\"2031-02-30T00:00:00Z\"}"))
                .containsExactly("start_datetime");
    }

    @Test
    void aPerimeterHasCohort360sFieldsWithTheAncestorsAsCsv() {
        JsonNode json = PlatformJson.write(PerimeterJson.of(Fixtures.perimeter(3, Optional.of(2L), List.of(1L, 2L))));
        assertThat(fields(json))
                .containsExactly(
                        "id",
                        "local_id",
                        "name",
                        "short_name",
                        "source_value",
                        "type_source_value",
                        "parent_id",
                        "level",
                        "above_levels_ids",
                        "full_path",
                        "cohort_id",
                        "cohort_size",
                        "count_allowed_users",
                        "count_allowed_users_inferior_levels",
                        "count_allowed_users_above_levels",
                        "owner",
                        "created_at");
        assertThat(json.get("above_levels_ids").asText()).isEqualTo("1,2");
        assertThat(json.get("type_source_value").asText()).isEqualTo("hospital");
        assertThat(json.get("parent_id").asLong()).isEqualTo(2);
        assertThat(json.get("level").asInt()).isEqualTo(3);
        assertThat(json.get("cohort_id").asText()).isEqualTo("c3");
        assertThat(json.get("count_allowed_users_above_levels").asInt()).isEqualTo(6);

        JsonNode root = PlatformJson.write(PerimeterJson.of(Fixtures.perimeter(1, Optional.empty(), List.of())));
        assertThat(root.get("parent_id").isNull()).isTrue();
        assertThat(root.get("above_levels_ids").asText()).isEmpty();
    }

    @Test
    void rightsAreGroupedByCategoryWithTheirCohort360KeyName() {
        List<Right> rights = List.of(
                new Right(
                        AccessRights.FULL_ADMIN,
                        "accesses",
                        "Administration",
                        "Full admin",
                        RightScope.GLOBAL,
                        Optional.empty(),
                        true),
                new Right(
                        AccessRights.READ_PATIENT_NOMINATIVE,
                        "accesses",
                        "Patient data",
                        "Read nominative",
                        RightScope.INHERITED,
                        Optional.empty(),
                        true),
                new Right(
                        "omics.read",
                        "omics",
                        "Patient data",
                        "Read variants",
                        RightScope.INHERITED,
                        Optional.of(AccessRights.READ_PATIENT_PSEUDONYMIZED),
                        false));
        JsonNode json = PlatformJson.write(RightCategoryJson.group(rights));
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.at("/0/name").asText()).isEqualTo("Administration");
        assertThat(json.at("/0/is_global").asBoolean()).isTrue();
        assertThat(json.at("/1/is_global").asBoolean()).isFalse();
        assertThat(fields(json.at("/1/rights/1")))
                .containsExactly("key", "key_name", "module", "label", "is_global", "scope", "depends_on", "active");
        assertThat(json.at("/0/rights/0/key_name").asText()).isEqualTo("right_full_admin");
        assertThat(json.at("/1/rights/1/key_name").isNull()).isTrue();
        assertThat(json.at("/1/rights/1/depends_on").asText()).isEqualTo(AccessRights.READ_PATIENT_PSEUDONYMIZED);
        assertThat(json.at("/1/rights/1/scope").asText()).isEqualTo("INHERITED");
        assertThat(json.at("/1/rights/1/active").asBoolean()).isFalse();
    }

    @Test
    void dataRightsReadPermissionsAndProfilesUseCohort360Names() {
        JsonNode row = PlatformJson.write(
                DataRightJson.of(new DataRight(5, "Lab", true, false, true, true, false, true, false)));
        assertThat(fields(row))
                .containsExactly(
                        "perimeter_id",
                        "perimeter_name",
                        "right_read_patient_nominative",
                        "right_read_patient_pseudonymized",
                        "right_search_patients_by_ipp",
                        "right_read_opposed_patients_data",
                        "right_export_csv_xlsx_nominative",
                        "right_export_jupyter_nominative",
                        "right_export_jupyter_pseudonymized");
        assertThat(row.get("right_read_opposed_patients_data").asBoolean()).isTrue();
        assertThat(row.get("right_export_jupyter_nominative").asBoolean()).isTrue();

        JsonNode read = PlatformJson.write(ReadPermissionJson.of(new ReadPermission(true, false, false, true)));
        assertThat(fields(read))
                .containsExactly(
                        "allow_read_patient_data_nomi",
                        "allow_lookup_opposed_patients",
                        "allow_read_patient_without_perimeter_limit",
                        "allow_read_practitioner");
        assertThat(read.get("allow_read_practitioner").asBoolean()).isTrue();

        JsonNode profile =
                PlatformJson.write(ProfileJson.of(new Profile(7, "u-42", "bob", "Manual", true, Fixtures.T)));
        assertThat(fields(profile)).containsExactly("id", "user_id", "username", "source", "is_active", "created_at");
    }

    @Test
    void aNewPerimeterReadsCohort360Names() throws BadBody {
        NewPerimeterBody body = PlatformJson.read(
                NewPerimeterBody.class,
                "{\"local_id\":\"H1\",\"name\":\"Hospital\",\"type_source_value\":\"hospital\",\"parent_id\":1}");
        assertThat(body).isEqualTo(new NewPerimeterBody("H1", "Hospital", null, null, "hospital", 1L, null));
        assertThat(refusedFields(NewPerimeterBody.class, "{\"local_id\":\"H1\",\"parent\":1}"))
                .containsExactly("parent");
    }
}
