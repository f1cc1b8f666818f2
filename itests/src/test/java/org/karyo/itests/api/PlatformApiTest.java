package org.karyo.itests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/** The platform core over HTTP: health, OpenAPI, Swagger UI, errors, request ids, security headers. */
@ExtendWith(SharedPlatform.class)
class PlatformApiTest {

    @Test
    void healthSaysLiveAndReadyToAnyone(Api api) {
        Api.Response r = api.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("live").asBoolean()).isTrue();
        assertThat(r.json().path("ready").asBoolean()).isTrue();
    }

    @Test
    void healthDetailListsEveryModuleActiveAndTheDatabase(Api api) {
        JsonNode detail = api.get("/health/detail").json();
        assertThat(detail.toString()).contains("content").contains("maintenance");
        for (JsonNode m : detail.path("modules")) {
            assertThat(m.path("state").asText()).as(m.toString()).isEqualTo("ACTIVE");
        }
        assertThat(detail.path("database").path("status").path("up").asBoolean())
                .isTrue();
    }

    @Test
    void theHeapIsWhatJavaMaxMemSays(Platform platform) throws Exception {
        // the JVM's own flags, read through its attach interface: what bin/setenv passed, not what it meant to
        String pid = Files.readString(platform.home().resolve("karaf.pid")).trim();
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid, "VM.flags")
                .redirectErrorStream(true)
                .start();
        String flags = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(flags).containsPattern("-XX:MaxHeapSize=" + ((long) SharedPlatform.HEAP_MIB << 20) + "(\\s|$)");
    }

    @Test
    void openApiDescribesTheInstalledModules(Api api) {
        Api.Response r = api.get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.path("paths");
        assertThat(paths.has("/api/webcontent/contents") || paths.has("/webcontent/contents"))
                .as(paths.toString().substring(0, Math.min(500, paths.toString().length())))
                .isTrue();
        assertThat(paths.toString()).contains("/maintenances").contains("/health");
    }

    @Test
    void swaggerUiIsServed(Api api) {
        Api.Response r = api.get("/docs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.body()).containsIgnoringCase("swagger").contains("openapi.json");
    }

    @Test
    void anUnknownPathIsAProblemDocument(Api api) {
        Api.Response r = api.get("/no-such-module/things");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(404);
        assertThat(r.json().path("type").asText()).isNotBlank();
    }

    @Test
    void anUnknownQueryParameterIsA400NamingItOnEveryModule(Api api) {
        for (String path : new String[] {
            "/users?with_acess=true",
            "/accesses/roles?bogus=1",
            "/webcontent/contents?limit=5&colour=red",
            "/health?x=1"
        }) {
            Api.Response r = api.get(path);
            String name = path.substring(path.lastIndexOf('&') > 0 ? path.lastIndexOf('&') + 1 : path.indexOf('?') + 1)
                    .split("=")[0];
            assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("errors").get(0).path("field").asText())
                    .as(path)
                    .isEqualTo(name);
        }
        // declared parameters still work
        assertThat(api.get("/users?search=admin&limit=5").status()).isEqualTo(200);
        assertThat(api.get("/webcontent/contents?limit=5").status()).isEqualTo(200);
    }

    @Test
    void aJsonBodyWithoutContentTypeIsA415AndNoIncident(Api api, Platform platform) throws Exception {
        Api.Response r = api.send(api.request("/webcontent/contents")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"x\"}")));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asText()).endsWith(":unsupported-media-type");
        String requestId = r.header("X-Request-Id");
        assertThat(Files.readAllLines(platform.log(), StandardCharsets.UTF_8))
                .noneMatch(line -> line.contains(requestId) && line.contains("ERROR"));
    }

    @Test
    void theApiAndTheSiteRootLeadToTheDocs(Api api) throws Exception {
        for (String path : new String[] {"/api/", "/"}) {
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(api.base().resolve(path))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            Api.checkContract(r, null);
            assertThat(r.statusCode()).as(path).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(path).hasValueSatisfying(l -> assertThat(l)
                    .endsWith("/api/docs"));
        }
    }

    @Test
    void aSaneRequestIdIsEchoedAndAnInsaneOneReplaced(Api api) {
        Api.Response ok = api.send(api.request("/webcontent/contents/999999999").header("X-Request-Id", "trace-abc.1"));
        assertThat(ok.header("X-Request-Id")).isEqualTo("trace-abc.1");
        assertThat(ok.json().path("request_id").asText()).isEqualTo("trace-abc.1");
        Api.Response bad = api.send(api.request("/health").header("X-Request-Id", "evil {}<script>"));
        assertThat(bad.header("X-Request-Id")).isNotBlank().doesNotContain("<").doesNotContain("{");
    }

    @Test
    void responsesCarrySecurityHeaders(Api api) {
        Api.Response r = api.get("/webcontent/contents");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("X-Request-Id")).isNotBlank();
    }
}
