package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * Forged, stripped, tampered and revoked tokens against the running platform: every one is a 401 on an endpoint that
 * needs authentication. (Expired, not-yet-valid, wrong-issuer and wrong-audience tokens need the platform's private
 * key to mint; the identity module's own tests cover them with it.)
 */
@ExtendWith(SharedPlatform.class)
class JwtNegativeApiTest {
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private static String token(Api api) {
        String auth = api.request("/auth/me")
                .build()
                .headers()
                .firstValue("Authorization")
                .orElseThrow();
        return auth.substring("Bearer ".length());
    }

    private static int me(Api api, String token) {
        return api.anonymous().withToken(token).get("/auth/me").status();
    }

    private static JsonNode part(String token, int i) throws Exception {
        return Api.JSON.readTree(B64.decode(token.split("\\.")[i]));
    }

    private static String encode(JsonNode node) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theGenuineTokenWorks(Api api) {
        assertThat(me(api, token(api))).isEqualTo(200);
    }

    @Test
    void algNoneIsRefused(Api api) throws Exception {
        String t = token(api);
        ObjectNode header = (ObjectNode) part(t, 0);
        header.put("alg", "none");
        assertThat(me(api, encode(header) + "." + t.split("\\.")[1] + ".")).isEqualTo(401);
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused(Api api) throws Exception {
        String t = token(api);
        JWKSet jwks = JWKSet.parse(api.anonymous().get("/auth/jwks").body());
        String kid = part(t, 0).path("kid").asText();
        RSAKey platformKey = (RSAKey) jwks.getKeyByKeyId(kid);
        assertThat(platformKey).as("the token's kid is published").isNotNull();
        JWTClaimsSet claims = SignedJWT.parse(t).getJWTClaimsSet();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(kid)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        forged.sign(new MACSigner(platformKey.toRSAPublicKey().getEncoded()));
        assertThat(me(api, forged.serialize())).isEqualTo(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedWhateverItsKidOrJku(Api api) throws Exception {
        String t = token(api);
        JWTClaimsSet claims = SignedJWT.parse(t).getJWTClaimsSet();
        String kid = part(t, 0).path("kid").asText();
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();

        SignedJWT unknownKid = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").build(), claims);
        unknownKid.sign(new RSASSASigner(attacker));
        assertThat(me(api, unknownKid.serialize())).as("unknown kid").isEqualTo(401);

        SignedJWT sameKid = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
        sameKid.sign(new RSASSASigner(attacker));
        assertThat(me(api, sameKid.serialize())).as("known kid, foreign key").isEqualTo(401);

        SignedJWT jku = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("attacker")
                        .jwkURL(URI.create("https://attacker.example.org/jwks.json"))
                        .build(),
                claims);
        jku.sign(new RSASSASigner(attacker));
        assertThat(me(api, jku.serialize())).as("foreign jku").isEqualTo(401);

        SignedJWT embedded = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("attacker")
                        .jwk(attacker.toPublicJWK())
                        .build(),
                claims);
        embedded.sign(new RSASSASigner(attacker));
        assertThat(me(api, embedded.serialize())).as("embedded jwk").isEqualTo(401);
    }

    @Test
    void aStrippedSignatureOrATamperedPayloadIsRefused(Api api) throws Exception {
        String t = token(api);
        String[] parts = t.split("\\.");
        assertThat(me(api, parts[0] + "." + parts[1] + "."))
                .as("signature stripped")
                .isEqualTo(401);
        assertThat(me(api, parts[0] + "." + parts[1])).as("two parts").isEqualTo(401);

        ObjectNode payload = (ObjectNode) part(t, 1);
        payload.put("sub", UUID.randomUUID().toString());
        assertThat(me(api, parts[0] + "." + encode(payload) + "." + parts[2]))
                .as("tampered sub")
                .isEqualTo(401);
        ObjectNode later = (ObjectNode) part(t, 1);
        later.put("exp", later.path("exp").asLong() + 86_400);
        assertThat(me(api, parts[0] + "." + encode(later) + "." + parts[2]))
                .as("extended exp")
                .isEqualTo(401);
        assertThat(me(api, parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[256])))
                .as("zero signature")
                .isEqualTo(401);
        assertThat(me(api, "not-a-token")).isEqualTo(401);
    }

    @Test
    void theTokenOfADisabledUserStopsWorkingAtOnce(Platform platform, Api admin) {
        String username = "jwt-disabled-" + System.nanoTime() % 1_000_000;
        String password = "Disabled-User-Passw0rd-" + UUID.randomUUID();
        assertThat(admin.post("/users", user(username, password)).status()).isEqualTo(201);
        Api user = platform.api().login(username, password);
        assertThat(user.get("/auth/me").status()).isEqualTo(200);

        assertThat(admin.patch("/users/" + username, "{\"is_active\":false}", null)
                        .status())
                .isEqualTo(200);
        assertThat(user.get("/auth/me").status()).isEqualTo(401);
    }

    @Test
    void aReusedRefreshTokenIsRefusedAndRevokesItsWholeFamily(Platform platform, Api admin) {
        String username = "jwt-refresh-" + System.nanoTime() % 1_000_000;
        String password = "Refresh-User-Passw0rd-" + UUID.randomUUID();
        assertThat(admin.post("/users", user(username, password)).status()).isEqualTo(201);
        JsonNode login = platform.api()
                .post("/auth/login", Api.loginBody(username, password))
                .json();
        String first = login.get("refresh_token").asText();

        Api.Response rotated = platform.api().post("/auth/refresh", refresh(first));
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.json().get("refresh_token").asText();
        assertThat(second).isNotEqualTo(first);

        Api.Response reused = platform.api().post("/auth/refresh", refresh(first));
        assertThat(reused.status()).as("reuse of a rotated token").isEqualTo(400);
        assertThat(reused.json().path("error").asText()).isEqualTo("invalid_grant");
        Api.Response revoked = platform.api().post("/auth/refresh", refresh(second));
        assertThat(revoked.status()).as("the family is revoked").isEqualTo(400);
        assertThat(revoked.json().path("error").asText()).isEqualTo("invalid_grant");
        assertThat(me(platform.api(), login.get("access_token").asText()))
                .as("the session's access token too")
                .isEqualTo(401);
    }

    static String user(String username, String password) {
        return Api.JSON
                .createObjectNode()
                .put("username", username)
                .put("firstname", "Test")
                .put("lastname", "User")
                .put("password", password)
                .toString();
    }

    private static String refresh(String token) {
        return Api.JSON.createObjectNode().put("refresh_token", token).toString();
    }

    static Date inSeconds(long s) {
        return new Date(System.currentTimeMillis() + s * 1000);
    }
}
