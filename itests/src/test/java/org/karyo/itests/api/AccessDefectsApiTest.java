package org.karyo.itests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/** Issue 10 §3, first-contact defects of the access module, against the booted platform. */
@ExtendWith(SharedPlatform.class)
class AccessDefectsApiTest {

    private static String user(Api admin, String username) {
        Api.Response r = admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", username)
                        .put("firstname", "Defect")
                        .put("lastname", "Check")
                        .put("email", username + "@hospital.example.org")
                        .toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    private static long root(Api admin) {
        return admin.get("/accesses/perimeters?local_id=root")
                .json()
                .path("results")
                .get(0)
                .path("id")
                .asLong();
    }

    private static long role(Api admin, String name) {
        Api.Response r = admin.post(
                "/accesses/roles",
                Api.JSON
                        .createObjectNode()
                        .put("name", name)
                        .set("rights", Api.JSON.createArrayNode().add("accesses.read_patient_pseudonymized"))
                        .toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("id").asLong();
    }

    private static Api.Response grant(Api admin, String username, long role, long perimeter) {
        return admin.post(
                "/accesses/accesses",
                Api.JSON
                        .createObjectNode()
                        .put("username", username)
                        .put("role_id", role)
                        .put("perimeter_id", perimeter)
                        .toString());
    }

    @Test
    void usersWithAccessAreOnlyThoseHoldingACurrentAccess(Platform platform) {
        Api admin = platform.admin();
        String prefix = "wa-" + UUID.randomUUID().toString().substring(0, 8);
        user(admin, prefix + "-holder");
        user(admin, prefix + "-without");
        Api.Response granted = grant(admin, prefix + "-holder", role(admin, prefix), root(admin));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);

        JsonNode all = admin.get("/users?search=" + prefix).json();
        assertThat(all.path("count").asLong()).isEqualTo(2);
        JsonNode holders = admin.get("/users?with_access=true&search=" + prefix).json();
        List<String> names = new ArrayList<>();
        holders.path("results").forEach(u -> names.add(u.path("username").asText()));
        assertThat(names).containsExactly(prefix + "-holder");
        assertThat(holders.path("count").asLong()).isEqualTo(1);
    }

    @Test
    void anIdenticalAccessTwiceIsAConflictNamingTheFirst(Platform platform) {
        Api admin = platform.admin();
        String username = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        user(admin, username);
        long role = role(admin, username);
        Api.Response first = grant(admin, username, role, root(admin));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        Api.Response second = grant(admin, username, role, root(admin));
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.json().path("existing_access_id").asLong())
                .isEqualTo(first.json().path("id").asLong());
        assertThat(second.json().path("detail").asText())
                .contains("access " + first.json().path("id").asLong());
    }

    @Test
    void aPerimeterWithoutParentGoesUnderTheSiteRoot(Platform platform) {
        Api admin = platform.admin();
        String local = "inst-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = admin.post(
                "/accesses/perimeters",
                Api.JSON
                        .createObjectNode()
                        .put("local_id", local)
                        .put("name", "Institute " + local)
                        .put("type_source_value", "institution")
                        .toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("parent_id").asLong()).isEqualTo(root(admin));
    }
}
