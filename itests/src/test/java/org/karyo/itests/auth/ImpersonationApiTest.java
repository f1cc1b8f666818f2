package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/** {@code X-Impersonate}: a full administrator acts as another user, anyone else is refused, and both are audited. */
@ExtendWith(SharedPlatform.class)
class ImpersonationApiTest {

    @Test
    void aFullAdministratorActsAsTheUserAndEveryoneElseIsRefused(Platform platform, Api admin) {
        String username = "impersonated-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Impersonated-Passw0rd-" + UUID.randomUUID();
        Api.Response created = admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", username)
                        .put("firstname", "Imp")
                        .put("lastname", "Ersonated")
                        .put("password", password)
                        .toString());
        assertThat(created.status()).isEqualTo(201);
        String userId = created.json().path("id").asText();

        Api.Response as = admin.send(
                admin.request("/auth/me").header("X-Impersonate", username).GET());
        assertThat(as.status()).as(as.toString()).isEqualTo(200);
        JsonNode me = as.json();
        assertThat(me.path("username").asText()).isEqualTo(username);
        assertThat(me.path("impersonated_by").path("username").asText()).isEqualTo(Platform.ADMIN);
        Api.Response denied = admin.send(
                admin.request("/users").header("X-Impersonate", username).GET());
        assertThat(denied.status()).as("the impersonated user's rights apply").isEqualTo(403);

        Api user = platform.api().login(username, password);
        assertThat(user.send(user.request("/auth/me")
                                .header("X-Impersonate", Platform.ADMIN)
                                .GET())
                        .status())
                .as("a user who is not a full administrator may not impersonate")
                .isEqualTo(403);

        JsonNode entries =
                admin.get("/audit?action=auth.impersonate&limit=100").json().path("results");
        boolean both = false;
        boolean refused = false;
        for (JsonNode e : entries) {
            if (e.path("actor_id").asText().equals(userId)
                    && !e.path("impersonator_id").isNull()) {
                both = true;
            }
            if (e.path("actor_id").asText().equals(userId)
                    && e.path("outcome").asText().equals("DENIED")) {
                refused = true;
            }
        }
        assertThat(both).as("an entry with both identities").isTrue();
        assertThat(refused).as("the refused attempt").isTrue();
    }
}
