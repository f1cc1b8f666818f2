package org.karyo.auth.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.lifecycle.SingletonResourceProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.auth.api.UserKind;
import org.karyo.rest.internal.PlatformSlice;

/**
 * The resources over real HTTP: CXF 3.5.6 (the runtime under the Aries whiteboard) on Jetty, behind the platform's own
 * edge and security filters, JSON provider and problem mapper, with fakes of the auth services and of the access
 * module's access control. Checks what only the wire shows: field names, strict body reading, status codes, headers.
 */
class HttpSliceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Instant EXPIRES = Instant.now().plusSeconds(900);

    private static Server server;
    private static String base;
    private static FakeUserService users;
    private static FakeAuthService auth;
    private static FakeMfaService mfa;
    private static FakeApiTokenService tokens;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/api";
        users = new FakeUserService()
                .add(FakeUserService.user("u-1", "ada", UserKind.PERSON))
                .add(FakeUserService.user("u-3", "manager", UserKind.PERSON))
                .add(FakeUserService.user("u-9", "root", UserKind.PERSON))
                .add(FakeUserService.user("u-7", "etl", UserKind.SERVICE));
        auth = new FakeAuthService(users, EXPIRES);
        mfa = new FakeMfaService();
        tokens = new FakeApiTokenService();
        TestAccessControl access = new TestAccessControl(Map.of(
                "u-1", TestCaller.of("u-1"),
                "u-3", TestCaller.of("u-3", "accesses.manage_users"),
                "u-9", TestCaller.of("u-9", "accesses.full_admin"),
                "acting", TestCaller.of("u-1").impersonatedBy("u-9")));

        List<Object> resources = List.of(
                new AuthResource(auth, users),
                new MfaResource(mfa),
                new TokenResource(tokens),
                new UserResource(users, mfa));
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress(base);
        factory.setResourceClasses(resources.stream().map(Object::getClass).toArray(Class<?>[]::new));
        for (Object r : resources) {
            factory.setResourceProvider(r.getClass(), new SingletonResourceProvider(r));
        }
        factory.setProviders(PlatformSlice.providers(access));
        server = factory.create();
    }

    @AfterAll
    static void stop() {
        server.destroy();
    }

    private static HttpResponse<String> send(String method, String path, String as, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        if (as != null) {
            b.header("Authorization", "Bearer " + as);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private static JsonNode problem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        return JSON.readTree(r.body());
    }

    private static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final Set<String> USER_FIELDS = Set.of(
            "id",
            "username",
            "firstname",
            "lastname",
            "display_name",
            "email",
            "kind",
            "is_active",
            "source",
            "mfa_enrolled",
            "created_at",
            "last_login");

    private static String login(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void loginAnswersCohort360sFieldsPlusTokenTypeAndExpiry() throws Exception {
        JsonNode r = ok(send("POST", "/auth/login", null, login("ada", FakeAuthService.PASSWORD)), 200);

        assertThat(names(r))
                .containsExactlyInAnyOrder(
                        "user",
                        "last_login",
                        "access_token",
                        "refresh_token",
                        "token_type",
                        "expires_in",
                        "mfa_enrolment_required");
        assertThat(names(r.get("user"))).isEqualTo(USER_FIELDS);
        assertThat(r.at("/user/username").asText()).isEqualTo("ada");
        assertThat(r.at("/user/display_name").asText()).isEqualTo("Ada Lovelace (ada)");
        assertThat(r.at("/user/kind").asText()).isEqualTo("person");
        assertThat(r.at("/user/is_active").asBoolean()).isTrue();
        assertThat(r.at("/user/created_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(r.get("last_login").asText()).isEqualTo("2026-02-03T04:05:06Z");
        assertThat(r.get("access_token").asText()).isEqualTo("access-u-1");
        assertThat(r.get("refresh_token").asText()).isEqualTo("refresh-u-1");
        assertThat(r.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.get("expires_in").asLong()).isBetween(880L, 900L);
        assertThat(r.get("mfa_enrolment_required").asBoolean()).isFalse();
        assertThat(auth.lastClient.address()).isEqualTo("127.0.0.1");
    }

    @Test
    void aFailedLoginIsA401Problem() throws Exception {
        JsonNode p = problem(send("POST", "/auth/login", null, login("ada", "wrong")), 401);
        assertThat(p.get("detail").asText()).isEqualTo("Wrong username or password");
    }

    @Test
    void badLoginBodiesAre400sNamingTheField() throws Exception {
        assertThat(errorFields(problem(
                        send("POST", "/auth/login", null, "{\"username\":\"ada\",\"password\":\"x\",\"remember\":1}"),
                        400)))
                .containsExactly("remember");
        assertThat(errorFields(
                        problem(send("POST", "/auth/login", null, "{\"username\":\"ada\",\"password\":123}"), 400)))
                .containsExactly("password");
        assertThat(errorFields(problem(
                        send(
                                "POST",
                                "/auth/login",
                                null,
                                "{\"username\":\"ada\",\"password\":\"x\",\"provider\":\"kc\",\"auth_code\":\"c\"}"),
                        400)))
                .containsExactlyInAnyOrder("provider", "auth_code");
        assertThat(errorFields(problem(send("POST", "/auth/login", null, "{}"), 400)))
                .containsExactly("username", "password");
        assertThat(problem(send("POST", "/auth/login", null, ""), 400)
                        .get("type")
                        .asText())
                .endsWith("missing-body");
        problem(send("POST", "/auth/login", null, null), 415); // no body and no Content-Type: the platform's answer
    }

    @Test
    void refreshRotatesAndAnInvalidTokenIsInvalidGrant() throws Exception {
        JsonNode r = ok(send("POST", "/auth/refresh", null, "{\"refresh_token\":\"refresh-u-1\"}"), 200);
        assertThat(names(r)).containsExactlyInAnyOrder("access_token", "refresh_token", "token_type", "expires_in");
        JsonNode grant = problem(send("POST", "/auth/refresh", null, "{\"refresh_token\":\"forged\"}"), 400);
        assertThat(grant.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(errorFields(problem(send("POST", "/auth/refresh", null, "{\"refresh\":\"x\"}"), 400)))
                .containsExactly("refresh");
    }

    @Test
    void theJwkSetIsPublicCacheableJson() throws Exception {
        HttpResponse<String> r = send("GET", "/auth/jwks", null, null);
        assertThat(ok(r, 200).at("/keys/0/kid").asText()).isEqualTo("k1");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void logoutNeedsAnIdentityAndTakesAnOptionalBody() throws Exception {
        problem(send("POST", "/auth/logout", null, null), 401);
        assertThat(send("POST", "/auth/logout", "u-1", null).statusCode()).isEqualTo(204);
        assertThat(auth.lastLogoutToken).isEmpty();
        assertThat(send("POST", "/auth/logout", "u-1", "{}").statusCode()).isEqualTo(204);
        assertThat(send("POST", "/auth/logout", "u-1", "{\"refresh_token\":\"refresh-u-1\"}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(auth.lastLogoutToken).contains("refresh-u-1");
        assertThat(auth.lastLogoutCaller.id()).isEqualTo("u-1");
        assertThat(send("POST", "/auth/logout", "u-1", "").statusCode()).isEqualTo(204);
        assertThat(auth.lastLogoutToken).isEmpty();
        assertThat(errorFields(problem(send("POST", "/auth/logout", "u-1", "{\"token\":\"x\"}"), 400)))
                .containsExactly("token");
        assertThat(errorFields(problem(send("POST", "/auth/logout", "u-1", "{\"refresh_token\":7}"), 400)))
                .containsExactly("refresh_token");
    }

    @Test
    void meShowsTheImpersonatingAdministrator() throws Exception {
        JsonNode me = ok(send("GET", "/auth/me", "u-1", null), 200);
        assertThat(me.get("username").asText()).isEqualTo("ada");
        assertThat(me.get("impersonated_by").isNull()).isTrue();
        JsonNode acting = ok(send("GET", "/auth/me", "acting", null), 200);
        assertThat(acting.get("username").asText()).isEqualTo("ada");
        assertThat(acting.at("/impersonated_by/username").asText()).isEqualTo("root");
        assertThat(names(acting)).containsAll(USER_FIELDS).contains("impersonated_by");
        problem(send("GET", "/auth/me", null, null), 401);
    }

    @Test
    void theCallersOwnSecondFactor() throws Exception {
        JsonNode e = ok(send("POST", "/auth/mfa/enrol", "u-1", null), 200);
        assertThat(names(e)).containsExactlyInAnyOrder("otpauth_uri", "secret");
        JsonNode codes = ok(send("POST", "/auth/mfa/confirm", "u-1", "{\"code\":\"123456\"}"), 200);
        assertThat(codes.get("recovery_codes")).hasSize(2);
        assertThat(errorFields(problem(send("POST", "/auth/mfa/confirm", "u-1", "{\"code\":\"000000\"}"), 400)))
                .containsExactly("code");
        assertThat(send("POST", "/auth/mfa/disable", "u-1", "{\"code\":\"123456\"}")
                        .statusCode())
                .isEqualTo(204);
        problem(send("POST", "/auth/mfa/enrol", null, null), 401);
    }

    @Test
    void usersNeedManageUsersAndResettingMfaNeedsFullAdmin() throws Exception {
        problem(send("GET", "/users", null, null), 401);
        problem(send("GET", "/users", "u-1", null), 403);
        JsonNode page = ok(send("GET", "/users?kind=service&limit=5", "u-3", null), 200);
        assertThat(names(page)).containsExactlyInAnyOrder("count", "limit", "offset", "results");
        assertThat(users.lastQuery.kind()).contains(UserKind.SERVICE);
        assertThat(errorFields(problem(send("GET", "/users?is_active=maybe", "u-3", null), 400)))
                .containsExactly("is_active");

        problem(send("POST", "/users/ada/mfa/reset", "u-3", null), 403);
        assertThat(send("POST", "/users/ada/mfa/reset", "u-9", null).statusCode())
                .isEqualTo(204);
        assertThat(mfa.lastReset).isEqualTo("ada");
    }

    @Test
    void createPatchAndCheckUsers() throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/users",
                "u-3",
                "{\"username\":\"grace\",\"firstname\":\"Grace\",\"lastname\":\"Hopper\",\"password\":\"Tr0ub4dor&3\"}");
        JsonNode g = ok(created, 201);
        assertThat(created.headers().firstValue("Location")).hasValue(base + "/users/grace");
        assertThat(names(g)).isEqualTo(USER_FIELDS);

        JsonNode patched = ok(send("PATCH", "/users/grace", "u-3", "{\"email\":null,\"is_active\":false}"), 200);
        assertThat(users.lastPatch.email()).contains(Optional.empty());
        assertThat(patched.get("is_active").asBoolean()).isFalse();
        assertThat(ok(send("PATCH", "/users/grace", "u-3", "{\"firstname\":\"G.\"}"), 200)
                        .get("firstname")
                        .asText())
                .isEqualTo("G.");
        assertThat(users.lastPatch.email()).isEmpty();
        assertThat(errorFields(problem(send("PATCH", "/users/grace", "u-3", "{\"username\":\"other\"}"), 400)))
                .containsExactly("username");
        assertThat(errorFields(problem(send("PATCH", "/users/grace", "u-3", "{\"is_active\":\"no\"}"), 400)))
                .containsExactly("is_active");

        JsonNode check = ok(send("GET", "/users/ldap-kim/check", "u-3", null), 200);
        assertThat(names(check))
                .containsExactlyInAnyOrder("username", "found", "local", "provider", "firstname", "lastname", "email");
        assertThat(check.get("provider").asText()).isEqualTo("ldap");
        problem(send("GET", "/users/nobody", "u-3", null), 404);
        assertThat(send("DELETE", "/users/grace", "u-9", null).statusCode()).isEqualTo(405);
    }

    @Test
    void serviceAccountTokensShowTheSecretOnlyAtCreation() throws Exception {
        String body = "{\"username\":\"etl\",\"name\":\"nightly\",\"rights\":[\"cohort.read\"],"
                + "\"expires_at\":\"2027-01-01T00:00:00Z\"}";
        problem(send("POST", "/auth/tokens", "u-3", body), 403);
        HttpResponse<String> created = send("POST", "/auth/tokens", "u-9", body);
        JsonNode t = ok(created, 201);
        String id = t.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(base + "/auth/tokens/" + id);
        assertThat(t.get("secret").asText()).isNotBlank();
        assertThat(t.get("expires_at").asText()).isEqualTo("2027-01-01T00:00:00Z");

        HttpResponse<String> listed = send("GET", "/auth/tokens?username=etl", "u-9", null);
        JsonNode list = ok(listed, 200);
        assertThat(list.at("/results/0/id").asText()).isEqualTo(id);
        assertThat(names(list.at("/results/0"))).doesNotContain("secret");
        assertThat(listed.body()).doesNotContain(t.get("secret").asText());

        assertThat(errorFields(problem(
                        send("POST", "/auth/tokens", "u-9", body.replace("\"2027-01-01T00:00:00Z\"", "1798761600")),
                        400)))
                .containsExactly("expires_at");
        assertThat(send("DELETE", "/auth/tokens/" + id, "u-9", null).statusCode())
                .isEqualTo(204);
        problem(send("DELETE", "/auth/tokens/unknown", "u-9", null), 404);
    }

    @Test
    void noResponseEverCarriesAPasswordOrAPasswordHash() throws Exception {
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(send("POST", "/auth/login", null, login("ada", FakeAuthService.PASSWORD)));
        responses.add(send("GET", "/auth/me", "acting", null));
        responses.add(send("GET", "/users", "u-3", null));
        responses.add(send("GET", "/users/ada", "u-3", null));
        responses.add(
                send(
                        "POST",
                        "/users",
                        "u-3",
                        "{\"username\":\"hedy\",\"firstname\":\"Hedy\",\"lastname\":\"Lamarr\",\"password\":\"Fr3qu3ncy-Hop\"}"));
        responses.add(send("PATCH", "/users/hedy", "u-3", "{\"password\":\"An0ther-Secret\"}"));
        responses.add(send("GET", "/users/ada/check", "u-3", null));
        assertThat(users.hashes()).hasSizeGreaterThan(4);
        for (HttpResponse<String> r : responses) {
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
            assertThat(r.body())
                    .doesNotContain(
                            FakeUserService.HASH_PREFIX, FakeAuthService.PASSWORD, "Fr3qu3ncy-Hop", "An0ther-Secret");
            assertNoSecretNames(JSON.readTree(r.body()), r.uri().getPath());
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndTheWireNames() {
        JsonNode doc = PlatformSlice.openApi(
                List.of(AuthResource.class, MfaResource.class, TokenResource.class, UserResource.class));
        assertThat(names(doc.get("paths")))
                .containsExactlyInAnyOrder(
                        "/auth/login",
                        "/auth/refresh",
                        "/auth/logout",
                        "/auth/jwks",
                        "/auth/me",
                        "/auth/mfa/enrol",
                        "/auth/mfa/confirm",
                        "/auth/mfa/disable",
                        "/auth/tokens",
                        "/auth/tokens/{id}",
                        "/users",
                        "/users/{username}",
                        "/users/{username}/check",
                        "/users/{username}/mfa/reset");
        JsonNode schemas = doc.at("/components/schemas");
        assertThat(names(schemas.at("/UserPatchBody/properties")))
                .containsExactlyInAnyOrder("firstname", "lastname", "email", "is_active", "password");
        assertThat(names(schemas.at("/UserJson/properties"))).isEqualTo(USER_FIELDS);
        assertThat(doc.at("/paths/~1users/get/x-karyo-right").asText()).isEqualTo("accesses.manage_users");
    }

    private static void assertNoSecretNames(JsonNode node, String where) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(e.getKey()).as(where).doesNotContain("password", "hash", "secret");
                assertNoSecretNames(e.getValue(), where);
            }
        } else if (node.isArray()) {
            node.forEach(n -> assertNoSecretNames(n, where));
        }
    }
}
