package org.karyo.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.lifecycle.SingletonResourceProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.rest.internal.json.JsonProvider;
import org.karyo.rest.internal.json.ProblemMapper;
import org.karyo.rest.internal.openapi.DocsResource;
import org.karyo.rest.internal.security.Gatekeeper;
import org.karyo.rest.internal.security.SecurityFilter;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Responses;

/**
 * A slice test over real HTTP: CXF 3.5.6 (the runtime under the Aries whiteboard) on Jetty with the platform's
 * filters, JSON provider and problem mapper, as the karyo application registers them.
 */
class HttpRoundTripTest {
    enum Colour {
        RED,
        GREEN
    }

    record Thing(long id, String name, Colour colour) {}

    record NewThing(String name, Colour colour) {}

    @Path("things")
    @Produces(MediaType.APPLICATION_JSON)
    @Public
    public static class ThingResource {
        @GET
        public Page<Thing> list() {
            return new Page<>(1, 20, 0, List.of(new Thing(1, "one", Colour.RED)));
        }

        @GET
        @Path("{id}")
        public Thing get(@PathParam("id") long id) {
            if (id == 404) {
                throw KaryoException.notFound("thing", id);
            }
            return new Thing(id, "thing", Colour.GREEN);
        }

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @RequiresRight("things.manage")
        public Response create(NewThing body, @Context UriInfo uri, @Context SecurityContext sc) {
            return Responses.created(
                    uri, 7, new Thing(7, body.name() + " by " + Callers.of(sc).id(), body.colour()), 1);
        }

        @GET
        @Path("boom")
        public Thing boom() {
            throw new IllegalStateException(
                    new SQLException("ERROR: password authentication failed for user \"karyo\""));
        }
    }

    @Path("undeclared")
    public static class UndeclaredResource {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Thing get() {
            return new Thing(0, "should never be served", Colour.RED);
        }
    }

    private static Server server;
    private static String base;
    private static final AtomicBoolean READ_ONLY = new AtomicBoolean();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/api";
        Settings settings = TestSettings.settings("127.0.0.1, ::1", "https://app.example.org", 256);
        Gatekeeper gatekeeper = new Gatekeeper();
        gatekeeper.addGate(
                r -> {
                    if (READ_ONLY.get() && r.isWrite()) {
                        throw KaryoException.unavailable(
                                "maintenance",
                                "Read-only for an upgrade",
                                Map.of("subject", "Upgrade"),
                                Duration.ofSeconds(120));
                    }
                },
                Map.of("service.id", 1L));
        // a permissive access control: these tests are about HTTP, the access module's tests are about rights
        gatekeeper.setAccess(new AccessControl() {
            @Override
            public Caller authenticate(AccessRequest request) {
                return Caller.ANONYMOUS;
            }

            @Override
            public void authorize(Caller caller, Declarations.Need need, GateRequest request) {}
        });

        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress(base);
        factory.setResourceClasses(ThingResource.class, UndeclaredResource.class, DocsResource.class);
        factory.setResourceProvider(ThingResource.class, new SingletonResourceProvider(new ThingResource()));
        factory.setResourceProvider(UndeclaredResource.class, new SingletonResourceProvider(new UndeclaredResource()));
        factory.setResourceProvider(DocsResource.class, new SingletonResourceProvider(new DocsResource()));
        factory.setProviders(List.of(
                new EdgeFilter(settings),
                new SecurityFilter(gatekeeper),
                new JsonProvider(settings),
                new ProblemMapper()));
        server = factory.create();
    }

    @AfterAll
    static void stop() {
        server.destroy();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).GET();
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String slug) throws IOException {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("type").asText()).isEqualTo("urn:karyo:problem:" + slug);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("request_id").asText())
                .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        return p;
    }

    @Test
    void servesSnakeCaseJsonWithSecurityHeaders() throws Exception {
        HttpResponse<String> r = send(get("/things"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/results/0/colour").asText()).isEqualTo("RED");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.API_CSP);
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void echoesASaneRequestIdAndReplacesOthers() throws Exception {
        assertThat(send(get("/things").header("X-Request-Id", "trace-1.a_b"))
                        .headers()
                        .firstValue("X-Request-Id"))
                .hasValue("trace-1.a_b");
        String replaced = send(get("/things").header("X-Request-Id", "bad id;drop"))
                .headers()
                .firstValue("X-Request-Id")
                .orElseThrow();
        assertThat(replaced).matches("[0-9a-f-]{36}");
    }

    @Test
    void createsWithLocationEtagAndTheAnonymousCaller() throws Exception {
        HttpResponse<String> r = send(post("/things", "{\"name\":\"n\",\"colour\":\"GREEN\"}"));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue(base + "/things/7");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(JSON.readTree(r.body()).get("name").asText()).isEqualTo("n by anonymous");
    }

    @Test
    void locationUsesThePublicUrlBehindATrustedProxy() throws Exception {
        HttpResponse<String> r = send(post("/things", "{\"name\":\"n\"}")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "karyo.example.org")
                .header("X-Forwarded-Prefix", "/research"));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("https://karyo.example.org/research/api/things/7");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
        // and the problem's instance is the public path too
        JsonNode p = problem(send(get("/things/404").header("X-Forwarded-Prefix", "/research")), 404, "not-found");
        assertThat(p.get("instance").asText()).isEqualTo("/research/api/things/404");
    }

    @Test
    void unknownFieldsWrongTypesAndBadEnumsArePrecise400s() throws Exception {
        JsonNode unknown = problem(send(post("/things", "{\"name\":\"n\",\"size\":3}")), 400, "validation");
        assertThat(unknown.at("/errors/0/field").asText()).isEqualTo("size");
        JsonNode wrongType = problem(send(post("/things", "{\"name\":5}")), 400, "validation");
        assertThat(wrongType.at("/errors/0/field").asText()).isEqualTo("name");
        JsonNode badEnum = problem(send(post("/things", "{\"colour\":\"BLUE\"}")), 400, "validation");
        assertThat(badEnum.at("/errors/0/message").asText()).contains("RED, GREEN");
    }

    @Test
    void malformedAndMissingBodiesAre400sNever500s() throws Exception {
        JsonNode malformed = problem(send(post("/things", "{\"name\":")), 400, "malformed-json");
        assertThat(malformed.get("detail").asText()).contains("line 1");
        problem(send(post("/things", "{} []")), 400, "malformed-json");
        problem(send(post("/things", "")), 400, "missing-body");
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        JsonNode p = problem(send(post("/things", "{\"name\":\"" + "x".repeat(300) + "\"}")), 413, "too-large");
        assertThat(p.get("max_bytes").asInt()).isEqualTo(256);
    }

    @Test
    void kindsAndJaxrsErrorsAreProblems() throws Exception {
        JsonNode notFound = problem(send(get("/things/404")), 404, "not-found");
        assertThat(notFound.get("instance").asText()).isEqualTo("/api/things/404");
        problem(send(get("/nothing/here")), 404, "not-found");
        problem(send(get("/things/abc")), 404, "invalid-parameter");
        HttpResponse<String> notAllowed =
                send(HttpRequest.newBuilder(URI.create(base + "/things/1")).DELETE());
        problem(notAllowed, 405, "method-not-allowed");
        assertThat(notAllowed.headers().firstValue("Allow")).isPresent();
        problem(
                send(HttpRequest.newBuilder(URI.create(base + "/things"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("x"))),
                415,
                "unsupported-media-type");
        problem(send(get("/things/1").header("Accept", "text/html")), 406, "not-acceptable");
    }

    @Test
    void aClientAcceptingOnlyProblemsStillReachesAJsonOperation() throws Exception {
        // what a generated client sends for an operation whose only documented body is the error's
        HttpResponse<String> r = send(get("/things").header("Accept", "application/problem+json"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        problem(send(get("/things/404").header("Accept", "application/problem+json")), 404, "not-found");
        assertThat(EdgeFilter.acceptsOnlyProblems("application/problem+json")).isTrue();
        assertThat(EdgeFilter.acceptsOnlyProblems("application/problem+json, application/json"))
                .isFalse();
        assertThat(EdgeFilter.acceptsOnlyProblems("application/problem+json;q=0.9, */*;q=0.1"))
                .isFalse();
        assertThat(EdgeFilter.acceptsOnlyProblems("text/html")).isFalse();
        assertThat(EdgeFilter.acceptsOnlyProblems(null)).isFalse();
    }

    @Test
    void unexpectedErrorsAre500WithAnIncidentAndNoDriverMessage() throws Exception {
        HttpResponse<String> r = send(get("/things/boom"));
        JsonNode p = problem(r, 500, "internal-error");
        assertThat(p.get("incident").asText()).hasSize(36);
        assertThat(r.body()).doesNotContain("password").doesNotContain("SQL").doesNotContain("karyo\\\"");
    }

    @Test
    void undeclaredMethodsAreRefused() throws Exception {
        HttpResponse<String> r = send(get("/undeclared"));
        problem(r, 403, "undeclared-right");
        assertThat(r.body()).doesNotContain("should never be served");
    }

    @Test
    void gatesRefuseWithRetryAfterAndTheirMembers() throws Exception {
        READ_ONLY.set(true);
        try {
            HttpResponse<String> write = send(post("/things", "{\"name\":\"n\"}"));
            JsonNode p = problem(write, 503, "maintenance");
            assertThat(write.headers().firstValue("Retry-After")).hasValue("120");
            assertThat(p.get("subject").asText()).isEqualTo("Upgrade");
            assertThat(send(get("/things")).statusCode()).isEqualTo(200);
        } finally {
            READ_ONLY.set(false);
        }
    }

    @Test
    void corsForAllowedOriginsOnly() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(base + "/things"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.org")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://app.example.org");
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElseThrow())
                .contains("Authorization", "If-Match", "X-Request-Id");

        HttpResponse<String> actual = send(get("/things").header("Origin", "https://app.example.org"));
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.org");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValue("Location, ETag, X-Request-Id, Retry-After");

        HttpResponse<String> evil = send(get("/things").header("Origin", "https://evil.example.org"));
        assertThat(evil.statusCode()).isEqualTo(200);
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> evilPreflight = send(HttpRequest.newBuilder(URI.create(base + "/things"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.org")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(evilPreflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    @Test
    void docsPageHasItsOwnPolicyAndLoadsTheDocument() throws Exception {
        HttpResponse<String> page = send(get("/docs"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(DocsResource.DOCS_CSP);
        assertThat(page.body())
                .contains("data-openapi=\"/api/openapi.json\"")
                .contains("/api/docs/swagger-ui-bundle.js");

        HttpResponse<String> script = send(get("/docs/swagger-ui-bundle.js"));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(script.body()).contains("SwaggerUIBundle");
        assertThat(send(get("/docs/karyo-docs.js")).body()).contains("data-openapi");
        problem(send(get("/docs/..%2Fbnd.bnd")), 404, "not-found");
        problem(send(get("/docs/MANIFEST.MF")), 404, "not-found");
    }
}
