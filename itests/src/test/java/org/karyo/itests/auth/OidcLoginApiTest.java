package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * OpenID Connect against a real OIDC server (mock-oauth2-server, started by the test run and configured into the
 * platform as provider {@code mock}): the authorization-code flow with PKCE, auto-provisioning without accesses, and
 * the provider's own bearer tokens on the API.
 */
@ExtendWith(SharedPlatform.class)
// Alone: the provider answers from this JVM, and with four classes beside it on a loaded machine the platform's
// calls to it (10 s timeout) were refused as unreachable.
@Isolated
class OidcLoginApiTest {
    private static final String REDIRECT = "http://localhost/callback";

    private static DefaultOAuth2TokenCallback user(String username, List<String> audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("preferred_username", username);
        claims.put("given_name", "Ada");
        claims.put("family_name", "Lovelace");
        return new DefaultOAuth2TokenCallback(
                SharedPlatform.OIDC_ISSUER, "sub-" + username, "JWT", audience, claims, 3600);
    }

    private static String code(MockOAuth2Server server, String verifier) throws Exception {
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", SharedPlatform.OIDC_CLIENT);
        q.put("response_type", "code");
        q.put("redirect_uri", REDIRECT);
        q.put("scope", "openid profile");
        q.put("state", "s");
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        String query = q.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        server.authorizationEndpointUrl(SharedPlatform.OIDC_ISSUER) + "?" + query))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        for (String p : URI.create(location).getRawQuery().split("&")) {
            if (p.startsWith("code=")) {
                return java.net.URLDecoder.decode(p.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    private static String verifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String login(String code, String verifier) {
        return Api.JSON
                .createObjectNode()
                .put("provider", SharedPlatform.OIDC_PROVIDER)
                .put("auth_code", code)
                .put("redirect_uri", REDIRECT)
                .put("code_verifier", verifier)
                .toString();
    }

    @Test
    void anAuthorizationCodeWithPkceLogsInAndProvisionsAUserWithoutAccesses(Platform platform, Api admin)
            throws Exception {
        MockOAuth2Server server = SharedPlatform.oidcServer();
        String username = "ada-" + UUID.randomUUID().toString().substring(0, 8);
        server.enqueueCallback(user(username, List.of(SharedPlatform.OIDC_CLIENT)));
        String verifier = verifier();
        Api.Response r = platform.api().post("/auth/login", login(code(server, verifier), verifier));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("user").path("username").asText()).isEqualTo(username);
        assertThat(body.path("user").path("source").asText()).isEqualTo("oidc:" + SharedPlatform.OIDC_PROVIDER);

        Api user = platform.api().withToken(body.path("access_token").asText());
        assertThat(user.get("/auth/me").status()).isEqualTo(200);
        JsonNode mine = user.get("/accesses/accesses/my-accesses").json();
        assertThat(mine.size()).as("an auto-provisioned user has no access").isZero();
        assertThat(user.get("/users").status()).as("and so no right").isEqualTo(403);
    }

    @Test
    void aWrongCodeVerifierIsRefused(Platform platform) throws Exception {
        MockOAuth2Server server = SharedPlatform.oidcServer();
        server.enqueueCallback(
                user("eve-" + UUID.randomUUID().toString().substring(0, 8), List.of(SharedPlatform.OIDC_CLIENT)));
        String code = code(server, verifier());
        assertThat(platform.api().post("/auth/login", login(code, verifier())).status())
                .isEqualTo(401);
    }

    @Test
    void theProvidersBearerTokensWorkOnTheApiOnlyForTheirAudience(Platform platform) {
        MockOAuth2Server server = SharedPlatform.oidcServer();
        String username = "grace-" + UUID.randomUUID().toString().substring(0, 8);
        String token = server.issueToken(
                        SharedPlatform.OIDC_ISSUER,
                        SharedPlatform.OIDC_CLIENT,
                        user(username, List.of(SharedPlatform.OIDC_CLIENT)))
                .serialize();
        Api.Response me = platform.api().withToken(token).get("/auth/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("username").asText()).isEqualTo(username);

        String other = server.issueToken(
                        SharedPlatform.OIDC_ISSUER, SharedPlatform.OIDC_CLIENT, user(username, List.of("another-api")))
                .serialize();
        assertThat(platform.api().withToken(other).get("/auth/me").status()).isEqualTo(401);
    }
}
