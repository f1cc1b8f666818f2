package org.karyo.itests.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * {@code /api/modules} on the shared platform, without changing its modules (the OSGi test installs and uninstalls):
 * the list, the refusal of a module that others need, a change followed to its end and its audit entry; and the
 * platform's start as its log shows it.
 */
@ExtendWith(SharedPlatform.class)
class ModulesApiTest {

    private static Map<String, JsonNode> byFeature(JsonNode list) {
        Map<String, JsonNode> out = new HashMap<>();
        list.forEach(m -> out.put(m.path("feature").asText(), m));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theListShowsInstalledAndAvailableModulesWithVersionsSchemasAndWhatNeedsWhat(Api admin) {
        Api.Response r = admin.get("/modules");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, JsonNode> modules = byFeature(r.json());

        JsonNode content = modules.get("karyo-content");
        assertThat(content.path("installed").asBoolean()).isTrue();
        assertThat(content.path("desired").asBoolean()).isTrue();
        assertThat(content.path("version").asText()).isNotBlank();
        assertThat(content.path("schema").path("state").asText()).isEqualTo("ACTIVE");
        assertThat(content.path("schema").path("schema_version").asText()).isNotBlank();
        assertThat(texts(content.path("depends_on"))).contains("karyo-audit");

        JsonNode ldap = modules.get("karyo-auth-ldap");
        assertThat(ldap.path("installed").asBoolean()).isFalse();
        assertThat(ldap.path("schema").isNull() || ldap.path("schema").isMissingNode())
                .isTrue();

        assertThat(texts(modules.get("karyo-accesses").path("required_by"))).contains("karyo-projects", "karyo-omics");
        assertThat(admin.get("/modules/karyo-content").json().path("module").asText())
                .isEqualTo("content");
        assertThat(admin.get("/modules/no-such-module").status()).isEqualTo(404);
    }

    @Test
    void aModuleThatInstalledModulesNeedIsRefusedWith409NamingThemAndStaysInstalled(Api admin) {
        Api.Response r = admin.delete("/modules/accesses", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(texts(r.json().path("required_by"))).contains("karyo-projects", "karyo-omics");
        assertThat(r.json().path("detail").asText())
                .startsWith("karyo-accesses is needed by ")
                .contains("karyo-omics")
                .contains("karyo-projects");
        JsonNode accesses = admin.get("/modules/accesses").json();
        assertThat(accesses.path("installed").asBoolean()).isTrue();
        assertThat(accesses.path("desired").asBoolean()).isTrue();
    }

    @Test
    void aChangeIsAcceptedFollowedToItsEndAndAudited(Api admin) throws Exception {
        Api.Response accepted = admin.send(admin.request("/modules/content").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String id = accepted.json().path("id").asText();
        assertThat(accepted.header("Location")).endsWith("/api/modules/changes/" + id);
        assertThat(accepted.json().path("operation").asText()).isEqualTo("INSTALL");
        assertThat(texts(accepted.json().path("features"))).containsExactly("karyo-content");

        JsonNode done = await(admin, id);
        assertThat(done.path("state").asText()).isEqualTo("DONE");
        assertThat(texts(done.path("unchanged"))).containsExactly("karyo-content");
        assertThat(texts(done.path("changed"))).isEmpty();
        assertThat(done.path("finished_at").asText()).isNotBlank();

        JsonNode entries = admin.get("/audit?limit=100&action=platform.module.install&object_id=karyo-content")
                .json()
                .path("results");
        List<String> changeIds = new ArrayList<>();
        entries.forEach(e -> changeIds.add(e.path("details").path("change_id").asText()));
        assertThat(changeIds).contains(id);
        assertThat(admin.get("/modules/changes/no-such-change").status()).isEqualTo(404);
    }

    @Test
    void theStartSaysOnceWhichPostgreSqlRunsAndFlywayDoesNotWarnAboutIt(Platform platform) throws Exception {
        String log = Files.readString(platform.log());
        assertThat(log)
                .doesNotContain("Flyway upgrade recommended")
                .doesNotContain("Flyway Community Edition")
                .contains("Module content (bundle org.karyo.content.impl): schema karyo_content at version");
        assertThat(log.lines().filter(l -> l.contains("Karyo database ready")))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("| INFO ").contains(", a version Karyo's tests run on ("));
    }

    /** The README's way to script the console: the commands on {@code bin/client}'s standard input, in batch mode. */
    @Test
    void binClientRunsTheCommandsOfItsStandardInput(Platform platform) throws Exception {
        String out = platform.console("karyo:module-list\nkaryo:help\n");
        assertThat(out)
                .contains("karyo-content")
                .contains("Needed by")
                .contains("karyo:module-uninstall")
                .contains("karyo:content-add");
    }

    private static JsonNode await(Api admin, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode change = admin.get("/modules/changes/" + id).json();
            String state = change.path("state").asText();
            if (state.equals("DONE") || state.equals("FAILED") || System.nanoTime() > deadline) {
                return change;
            }
            Thread.sleep(50); // the poll's pace, not a wait for the change: the deadline bounds the wait
        }
    }
}
