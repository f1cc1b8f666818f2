package org.karyo.itests.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;
import org.karyo.itests.support.Tasks;

/** The audit trail of a scripted session, seen through the API, and a tampered row found by verification. */
@ExtendWith(SharedPlatform.class)
class AuditApiTest {

    private static String userBody(String username, String password) {
        return Api.JSON
                .createObjectNode()
                .put("username", username)
                .put("firstname", "Audit")
                .put("lastname", "User")
                .put("password", password)
                .toString();
    }

    private static List<String> actions(Api admin, String query) {
        Api.Response r = admin.get("/audit?limit=100&ordering=seq&" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        for (JsonNode e : r.json().path("results")) {
            actions.add(e.path("action").asText() + ":" + e.path("outcome").asText());
        }
        return actions;
    }

    @Test
    void aScriptedSessionLeavesExactlyTheExpectedEntriesAndNoSecret(Platform platform, Api admin) {
        String username = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Audited-User-Passw0rd-" + UUID.randomUUID();
        Api.Response created = admin.post("/users", userBody(username, password));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String userId = created.json().path("id").asText();
        long role = admin.post(
                        "/accesses/roles",
                        "{\"name\":\"audit-editor-" + username + "\",\"rights\":[\"content.manage\"]}")
                .json()
                .path("id")
                .asLong();
        long root = admin.get("/accesses/perimeters?local_id=root")
                .json()
                .path("results")
                .get(0)
                .path("id")
                .asLong();
        assertThat(admin.post(
                                "/accesses/accesses",
                                "{\"username\":\"" + username + "\",\"role_id\":" + role + ",\"perimeter_id\":" + root
                                        + "}")
                        .status())
                .isEqualTo(201);

        // the session
        assertThat(platform.api()
                        .post("/auth/login", Api.loginBody(username, "wrong-" + password))
                        .status())
                .isEqualTo(401);
        Api user = platform.api().login(username, password);
        long content = user.post(
                        "/webcontent/contents",
                        "{\"title\":\"Audited\",\"content\":\"c\",\"content_type\":\"BANNER_INFO\"}")
                .json()
                .path("id")
                .asLong();
        assertThat(user.patch("/webcontent/contents/" + content, "{\"title\":\"Audited 2\"}", null)
                        .status())
                .isEqualTo(200);
        assertThat(user.post("/webcontent/contents", "{\"title\":\"\"}").status())
                .as("a refused write")
                .isEqualTo(400);
        assertThat(user.delete("/webcontent/contents/" + content, null).status())
                .isEqualTo(204);
        assertThat(user.post("/auth/logout", "{}").status()).isEqualTo(204);

        assertThat(actions(admin, "actor=" + userId))
                .containsExactly(
                        "auth.login.success:SUCCESS",
                        "content.content.create:SUCCESS",
                        "content.content.update:SUCCESS",
                        "content.content.delete:SUCCESS",
                        "auth.logout:SUCCESS");
        assertThat(actions(admin, "object_type=user&object_id=" + userId))
                .containsExactly(
                        "auth.user.create:SUCCESS", "auth.login.failure:FAILURE", "auth.login.success:SUCCESS");

        String everything = admin.get("/audit?limit=1000").body();
        assertThat(everything).doesNotContain(password).doesNotContain(username);
        assertThat(admin.get("/audit/verify").json().path("ok").asBoolean()).isTrue();
    }

    @Test
    void aRowChangedBehindThePlatformsBackIsFoundAtItsSequenceNumber(Platform platform, Api admin) throws Exception {
        assertThat(admin.post(
                                "/webcontent/contents",
                                "{\"title\":\"t\",\"content\":\"c\",\"content_type\":\"BANNER_INFO\"}")
                        .status())
                .isEqualTo(201);
        JsonNode before = admin.get("/audit/verify").json();
        assertThat(before.path("ok").asBoolean()).as(before.toString()).isTrue();
        long seq = admin.get("/audit?limit=1&action=content.content.create")
                .json()
                .path("results")
                .get(0)
                .path("seq")
                .asLong();
        try (Connection c = DriverManager.getConnection(platform.superuserJdbcUrl());
                Statement s = c.createStatement()) {
            String original;
            try (java.sql.ResultSet r =
                    s.executeQuery("SELECT object_id FROM karyo_audit.audit_log WHERE seq = " + seq)) {
                assertThat(r.next()).isTrue();
                original = r.getString(1);
            }
            s.execute("ALTER TABLE karyo_audit.audit_log DISABLE TRIGGER ALL");
            try {
                s.executeUpdate("UPDATE karyo_audit.audit_log SET object_id = '999999' WHERE seq = " + seq);
                JsonNode after = admin.get("/audit/verify").json();
                assertThat(after.path("ok").asBoolean()).as(after.toString()).isFalse();
                assertThat(after.path("first_broken_seq").asLong()).isEqualTo(seq);
                s.executeUpdate("UPDATE karyo_audit.audit_log SET object_id = '" + original + "' WHERE seq = " + seq);
            } finally {
                s.execute("ALTER TABLE karyo_audit.audit_log ENABLE TRIGGER ALL");
            }
        }
        assertThat(admin.get("/audit/verify").json().path("ok").asBoolean())
                .as("restored")
                .isTrue();
    }

    /**
     * The checkpoints run on the platform's scheduler: the per-node task {@code audit.checkpoint} is listed, runs on
     * demand as a job recorded in its history, and signs a chain head at least as recent as an entry written before
     * the run into this node's checkpoint file.
     */
    @Test
    void theCheckpointTaskIsListedRunsOnDemandAndSignsTheHead(Platform platform, Api admin) throws Exception {
        JsonNode task = Tasks.listed(admin, "audit.checkpoint");
        assertThat(task.path("scope").asText()).isEqualTo("NODE");
        assertThat(task.path("module").asText()).isEqualTo("audit");
        assertThat(task.path("schedule").asText()).isEqualTo("0 0 * * * ?"); // checkpoint.interval.minutes = 60
        assertThat(task.path("enabled").asBoolean()).isTrue();

        String username = "checkpointed-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = admin.post("/users", userBody(username, "Checkpointed-Passw0rd-" + UUID.randomUUID()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long written = admin.get("/audit?limit=1&ordering=-seq&object_id="
                        + created.json().path("id").asText())
                .json()
                .path("results")
                .get(0)
                .path("seq")
                .asLong();

        JsonNode job = Tasks.runAndWait(admin, "audit.checkpoint");
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("result").path("summary").asText()).startsWith("signed the chain head");
        JsonNode run = Tasks.lastRun(admin, "audit.checkpoint");
        assertThat(run.path("job_id").asLong()).isEqualTo(job.path("id").asLong());
        assertThat(run.path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");

        Path file = platform.home().resolve("var/audit/checkpoints.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).isNotEmpty();
        JsonNode last = Api.JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.path("seq").asLong()).isGreaterThanOrEqualTo(written);
        assertThat(last.path("hmac").asText()).hasSize(64);
        assertThat(admin.get("/audit/verify").json().path("ok").asBoolean()).isTrue();
    }
}
