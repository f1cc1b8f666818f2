package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.security.Declarations;
import org.karyo.api.security.Declarations.AuthenticatedNeed;
import org.karyo.api.security.Declarations.Need;
import org.karyo.api.security.Declarations.RightNeed;
import org.karyo.rest.internal.json.PlatformJson;

class DeclarationsTest {

    private static final List<Class<?>> RESOURCES = List.of(
            RightResource.class,
            RoleResource.class,
            AccessResource.class,
            ProfileResource.class,
            PerimeterResource.class);

    private static final Need AUTHENTICATED = new AuthenticatedNeed();
    private static final Need FULL_ADMIN = new RightNeed(AccessRights.FULL_ADMIN);

    private static boolean isEndpoint(Method m) {
        return m.isAnnotationPresent(GET.class)
                || m.isAnnotationPresent(POST.class)
                || m.isAnnotationPresent(PUT.class)
                || m.isAnnotationPresent(PATCH.class)
                || m.isAnnotationPresent(DELETE.class);
    }

    @Test
    void everyEndpointDeclaresExactlyWhatCohort360Requires() {
        Map<String, Need> expected = new HashMap<>();
        expected.put("RightResource.list", AUTHENTICATED);
        expected.put("RoleResource.list", AUTHENTICATED);
        expected.put("RoleResource.get", AUTHENTICATED);
        expected.put("RoleResource.users", AUTHENTICATED);
        expected.put("RoleResource.assignable", AUTHENTICATED);
        expected.put("RoleResource.create", FULL_ADMIN);
        expected.put("RoleResource.update", FULL_ADMIN);
        expected.put("RoleResource.delete", FULL_ADMIN);
        expected.put("AccessResource.list", AUTHENTICATED);
        expected.put("AccessResource.get", AUTHENTICATED);
        expected.put("AccessResource.create", AUTHENTICATED);
        expected.put("AccessResource.update", AUTHENTICATED);
        expected.put("AccessResource.close", AUTHENTICATED);
        expected.put("AccessResource.delete", AUTHENTICATED);
        expected.put("AccessResource.myAccesses", AUTHENTICATED);
        expected.put("AccessResource.myDataRights", AUTHENTICATED);
        expected.put("ProfileResource.list", new RightNeed(AccessRights.MANAGE_USERS));
        expected.put("PerimeterResource.list", AUTHENTICATED);
        expected.put("PerimeterResource.get", AUTHENTICATED);
        expected.put("PerimeterResource.children", AUTHENTICATED);
        expected.put("PerimeterResource.manageable", AUTHENTICATED);
        expected.put("PerimeterResource.patientDataRights", AUTHENTICATED);
        expected.put("PerimeterResource.patientDataRead", AUTHENTICATED);
        expected.put("PerimeterResource.create", FULL_ADMIN);
        expected.put("PerimeterResource.importCsv", FULL_ADMIN);

        Map<String, Need> actual = new HashMap<>();
        for (Class<?> type : RESOURCES) {
            for (Method m : type.getDeclaredMethods()) {
                if (isEndpoint(m)) {
                    Need need = Declarations.of(m)
                            .orElseThrow(() -> new AssertionError(m + " declares nothing: the platform refuses it"));
                    assertThat(actual.put(type.getSimpleName() + "." + m.getName(), need))
                            .as("one endpoint per method name")
                            .isNull();
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void resourceClassesDeclareNothingThatMethodsCouldInherit() {
        for (Class<?> type : RESOURCES) {
            assertThat(Arrays.stream(type.getAnnotations())
                            .map(a -> a.annotationType().getSimpleName())
                            .toList())
                    .as(type.getSimpleName())
                    .doesNotContain("Public", "Authenticated", "RequiresRight");
        }
    }

    @Test
    void theGeneratedOpenApiDocumentsEveryCohort360RouteWithItsRight() {
        ObjectNode doc = PlatformJson.openApi(RESOURCES);
        JsonNode paths = doc.get("paths");
        List<String> routes = new ArrayList<>();
        for (Iterator<Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> routes.add(method + " " + path.getKey()));
        }
        assertThat(routes)
                .containsExactlyInAnyOrder(
                        "get /accesses/rights",
                        "get /accesses/roles",
                        "post /accesses/roles",
                        "get /accesses/roles/assignable",
                        "get /accesses/roles/{id}",
                        "patch /accesses/roles/{id}",
                        "delete /accesses/roles/{id}",
                        "get /accesses/roles/{id}/users",
                        "get /accesses/accesses",
                        "post /accesses/accesses",
                        "get /accesses/accesses/my-accesses",
                        "get /accesses/accesses/my-data-rights",
                        "get /accesses/accesses/{id}",
                        "patch /accesses/accesses/{id}",
                        "delete /accesses/accesses/{id}",
                        "patch /accesses/accesses/{id}/close",
                        "get /accesses/profiles",
                        "get /accesses/perimeters",
                        "post /accesses/perimeters",
                        "get /accesses/perimeters/manageable",
                        "get /accesses/perimeters/patient-data/rights",
                        "get /accesses/perimeters/patient-data/read",
                        "post /accesses/perimeters/import",
                        "get /accesses/perimeters/{id}",
                        "get /accesses/perimeters/{id}/children");
        assertThat(doc.toString()).doesNotContain("x-karyo-undeclared");
        assertThat(paths.at("/~1accesses~1roles/post/x-karyo-right").asText()).isEqualTo("accesses.full_admin");
        assertThat(paths.at("/~1accesses~1profiles/get/x-karyo-right").asText()).isEqualTo("accesses.manage_users");
        assertThat(paths.at("/~1accesses~1perimeters~1import/post/requestBody/content")
                        .fieldNames())
                .toIterable()
                .containsExactly("text/csv");

        // every Cohort360 role flag is documented on the role schemas, in and out
        JsonNode schemas = doc.at("/components/schemas");
        for (String key : AccessRights.ALL) {
            String flag = AccessRights.flag(key);
            assertThat(schemas.at("/RoleJson/properties/" + flag + "/type").asText())
                    .as(flag)
                    .isEqualTo("boolean");
            assertThat(schemas.at("/RoleBody/properties/" + flag + "/type").asText())
                    .as(flag)
                    .isEqualTo("boolean");
        }
        assertThat(schemas.at("/PageOfRoleJson/properties/results/items/$ref").asText())
                .isEqualTo("#/components/schemas/RoleJson");
        assertThat(schemas.at("/AccessJson/properties/is_valid/type").asText()).isEqualTo("boolean");
        assertThat(schemas.at("/AccessJson/properties/perimeter/nullable").asBoolean())
                .isTrue();
        assertThat(schemas.at("/AccessJson/properties/start_datetime/format").asText())
                .isEqualTo("date-time");
        assertThat(schemas.at("/NewAccessBody/required").toString()).contains("role_id", "perimeter_id");
    }
}
