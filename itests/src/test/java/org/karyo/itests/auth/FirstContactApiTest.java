package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * The identity module's first-contact defects of issue 10 §3 and the RFC 6750 challenge of §2, against the running
 * platform: each test failed before its fix.
 */
@ExtendWith(SharedPlatform.class)
class FirstContactApiTest {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String service(Api admin) {
        String name = unique("svc");
        Api.Response r = admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", name)
                        .put("firstname", "Nightly")
                        .put("lastname", "Load")
                        .put("kind", "service")
                        .toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return name;
    }

    private static String tokenBody(String username, List<String> rights) {
        var body = Api.JSON.createObjectNode().put("username", username).put("name", "itest");
        var array = body.putArray("rights");
        rights.forEach(array::add);
        body.put(
                "expires_at",
                Instant.now()
                        .plus(2, ChronoUnit.DAYS)
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString());
        return body.toString();
    }

    @Test
    void checkingAnUnknownUserIs404(Api admin) {
        Api.Response r = admin.get("/users/" + unique("nobody") + "/check");
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(admin.get("/users/admin/check").status()).isEqualTo(200);
    }

    @Test
    void aMalformedRefreshTokenIsInvalidGrant(Platform platform) {
        for (String bad :
                List.of("not-a-token", "x".repeat(600), UUID.randomUUID().toString())) {
            Api.Response r = platform.api()
                    .post(
                            "/auth/refresh",
                            Api.JSON
                                    .createObjectNode()
                                    .put("refresh_token", bad)
                                    .toString());
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("invalid_grant");
        }
    }

    @Test
    void every401CarriesABearerChallengeAndABadTokenSaysInvalidToken(Platform platform) {
        Api.Response none = platform.api().get("/auth/me");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"karyo\"");

        Api.Response forged =
                platform.api().withToken("eyJhbGciOiJSUzI1NiJ9.e30.c2ln").get("/auth/me");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.header("WWW-Authenticate"))
                .startsWith("Bearer realm=\"karyo\", error=\"invalid_token\"")
                .doesNotContain("expired");

        Api.Response apiToken =
                platform.api().withToken("kyt_abcdefgh_" + "A".repeat(43)).get("/users");
        assertThat(apiToken.status()).isEqualTo(401);
        assertThat(apiToken.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

        Api.Response login =
                platform.api().post("/auth/login", Api.loginBody("admin", "not-the-password-" + UUID.randomUUID()));
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void tokensWithUnknownRightsAreRefusedAndTheListIsPaged(Api admin) {
        String etl = service(admin);
        Api.Response refused = admin.post("/auth/tokens", tokenBody(etl, List.of("projects.projet.read")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("rights");
        assertThat(refused.json().path("errors").get(0).path("message").asText())
                .contains("projects.projet.read");

        for (int i = 0; i < 3; i++) {
            Api.Response created = admin.post("/auth/tokens", tokenBody(etl, List.of("projects.project.read")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        JsonNode page =
                admin.get("/auth/tokens?username=" + etl + "&limit=2&offset=1").json();
        assertThat(page.path("count").asLong()).isEqualTo(3);
        assertThat(page.path("limit").asInt()).isEqualTo(2);
        assertThat(page.path("offset").asInt()).isEqualTo(1);
        assertThat(page.path("results").size()).isEqualTo(2);
        assertThat(admin.get("/auth/tokens?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theTokenCreateExampleUsesRightsThatExist(Platform platform, Api admin) throws Exception {
        String help = platform.console("karyo:token-create --help\n");
        // the example in the details (the help wraps it, so the value may start on the next line)
        Matcher m = Pattern.compile("Example: karyo:token-create --rights\\s+([a-z0-9_.,]+)")
                .matcher(help);
        assertThat(m.find()).as(help).isTrue();
        List<String> rights = List.of(m.group(1).split(","));
        Api.Response created = admin.post("/auth/tokens", tokenBody(service(admin), rights));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void aScriptSetsAPasswordWithoutAPromptAndConsoleLoginsLogNoEventAdminError(Platform platform) throws Exception {
        String username = unique("scripted");
        String password = "Scripted-Passw0rd-" + UUID.randomUUID().toString().substring(0, 8);
        String out = platform.console("echo '" + password
                + "' | karyo:user-add --firstname Script --lastname Ed --password-stdin " + username + "\n");
        assertThat(out).contains("Added user " + username).doesNotContain(password);
        Api.Response login = platform.api().post("/auth/login", Api.loginBody(username, password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);

        // every SSH login used to log a NoClassDefFoundError from Karaf's EventAdminAuditLoginModule
        List<String> errors = new ArrayList<>();
        Files.readAllLines(platform.log()).stream()
                .filter(l -> l.contains("EventAdminAuditLoginModule") || l.contains("org/osgi/service/event"))
                .forEach(errors::add);
        assertThat(errors).isEmpty();
    }

    @Test
    void theAdministratorsDisplayNameIsNotBlank(Api admin) {
        JsonNode me = admin.get("/auth/me").json();
        assertThat(me.path("display_name").asText()).doesNotStartWith(" ").isNotBlank();
    }
}
