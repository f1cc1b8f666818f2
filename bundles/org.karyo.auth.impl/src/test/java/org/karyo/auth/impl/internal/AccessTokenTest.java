package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserPatch;

/** Access tokens: their claims, and the negative suite, all at service level through the {@code Authenticator}. */
class AccessTokenTest {
    private Fixture f;
    private User alice;
    private LoginResult login;

    @BeforeEach
    void setUp() {
        f = new Fixture();
        alice = f.person("alice");
        login = f.login("alice", Fixture.PASSWORD);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void carriesExactlyTheIdentityClaimsAndAKid() throws Exception {
        SignedJWT jwt = SignedJWT.parse(login.accessToken());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(f.keys.current().kid());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getClaims().keySet())
                .containsExactlyInAnyOrder(
                        "sub", "sid", "iss", "aud", "exp", "iat", "nbf", "jti", "scope", "client_id");
        assertThat(c.getSubject()).isEqualTo(alice.id());
        assertThat(c.getIssuer()).isEqualTo("karyo");
        assertThat(c.getAudience()).containsExactly("karyo-api");
        assertThat(c.getStringClaim("scope")).isEqualTo("api");
        assertThat(c.getStringClaim("client_id")).isEqualTo("karyo-web");
        assertThat(c.getExpirationTime().toInstant())
                .isEqualTo(f.clock.instant().plusSeconds(900));
        assertThat(login.accessToken()).doesNotContain("alice");
        assertThat(jwt.getPayload().toString()).doesNotContain("alice");
    }

    @Test
    void noHeaderIsNoIdentityAndGarbageIsUnauthenticated() {
        assertThat(f.authenticator.authenticate(null, null)).isEmpty();
        assertThat(f.authenticator.authenticate("  ", null)).isEmpty();
        assertRefused(() -> f.authenticator.authenticate("Basic YWxpY2U6cHc=", null));
        assertRefused(() -> f.authenticator.authenticate("Bearer ", null));
        assertRefused(() -> f.bearer("not-a-token"));
        assertThat(f.authenticator.authenticate("bearer " + login.accessToken(), "JWT"))
                .isPresent();
    }

    @Test
    void apiTokensGoToTheApiTokenAuthenticator() {
        Identity svc = f.bearer("kyt_good").orElseThrow();
        assertThat(svc.method()).isEqualTo(Identity.Method.API_TOKEN);
        assertThat(Fixture.kind(() -> f.bearer("kyt_bad"))).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void algNoneIsRefused() {
        String none = new PlainJWT(claims(b -> b)).serialize();
        assertRefused(() -> f.bearer(none));
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        RSAKey pub = RSAKey.parse(jwk(f.keys.current().kid()));
        JWSSigner mac = new MACSigner(pub.toRSAPublicKey().getEncoded());
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).build(), claims(b -> b));
        forged.sign(mac);
        assertRefused(() -> f.bearer(forged.serialize()));
        SignedJWT forgedPem = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).build(), claims(b -> b));
        forgedPem.sign(new MACSigner(pub.toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertRefused(() -> f.bearer(forgedPem.serialize()));
    }

    @Test
    void expiredTokensAreRefusedBeyondTheClockSkew() {
        f.clock.advance(Duration.ofSeconds(900 + 29));
        assertThat(f.bearer(login.accessToken())).isPresent();
        f.clock.advance(Duration.ofSeconds(2));
        assertExpired(() -> f.bearer(login.accessToken()));
        String expired = sign(b -> b.expirationTime(Date.from(f.clock.instant().minusSeconds(60))));
        assertExpired(() -> f.bearer(expired));
    }

    /** Issue 10 §2: an expired token says so (RFC 6750 invalid_token), a forged expired one does not. */
    @Test
    void anExpiredTokenIsToldApartFromAForgedOne() throws Exception {
        String expired = sign(b -> b.expirationTime(Date.from(f.clock.instant().minusSeconds(60))));
        KaryoException genuine = Fixture.failure(() -> f.bearer(expired));
        assertThat(genuine.type()).isEqualTo("token-expired");
        assertThat(genuine.getMessage()).contains("expired");
        assertThat(genuine.extensions()).containsEntry("error", "invalid_token");

        String[] parts = expired.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        KaryoException forged = Fixture.failure(() -> f.bearer(tampered));
        assertThat(forged.type()).isEqualTo("invalid-token");
        assertThat(forged.getMessage()).doesNotContain("expired");
        assertThat(forged.extensions()).containsEntry("error", "invalid_token");
    }

    @Test
    void tokensNotValidYetAreRefused() {
        assertRefused(() ->
                f.bearer(sign(b -> b.notBeforeTime(Date.from(f.clock.instant().plusSeconds(300))))));
        assertRefused(
                () -> f.bearer(sign(b -> b.issueTime(Date.from(f.clock.instant().plusSeconds(300))))));
        assertThat(f.bearer(
                        sign(b -> b.notBeforeTime(Date.from(f.clock.instant().plusSeconds(20))))))
                .isPresent();
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        assertRefused(() -> f.bearer(sign(b -> b.issuer("https://evil.example.org"))));
        assertRefused(() -> f.bearer(sign(b -> b.audience("another-api"))));
        assertRefused(() -> f.bearer(sign(b -> b.audience(List.of()))));
    }

    @Test
    void unknownKidOrForeignKeysAreRefused() throws Exception {
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown").build(),
                f.keys.current().signer(),
                b -> b)));
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("evil").generate();
        JWSSigner theirs = new RSASSASigner(foreign);
        assertRefused(() -> f.bearer(
                sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("evil").build(), theirs, b -> b)));
        String kid = f.keys.current().kid();
        assertRefused(() -> f.bearer(
                sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), theirs, b -> b)));
    }

    @Test
    void keyBearingHeadersAreRefusedEvenWhenTheSignatureIsOurs() throws Exception {
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("evil").generate();
        JWSSigner theirs = new RSASSASigner(foreign);
        URI jku = URI.create("https://evil.example.org/jwks.json");
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("evil")
                        .jwkURL(jku)
                        .build(),
                theirs,
                b -> b)));
        String kid = f.keys.current().kid();
        JWSSigner ours = f.keys.current().signer();
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwkURL(jku).build(), ours, b -> b)));
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(kid)
                        .jwk(foreign.toPublicJWK())
                        .build(),
                ours,
                b -> b)));
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(kid)
                        .x509CertURL(jku)
                        .build(),
                ours,
                b -> b)));
        assertRefused(() -> f.bearer(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(kid)
                        .x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode("x")))
                        .build(),
                ours,
                b -> b)));
        assertRefused(() -> f.bearer(
                sign(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(kid).build(), ours, b -> b)));
        assertThat(f.bearer(sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(kid)
                                .type(JOSEObjectType.JWT)
                                .build(),
                        ours,
                        b -> b)))
                .isPresent();
    }

    @Test
    void aStrippedSignatureOrATamperedPayloadIsRefused() throws Exception {
        String[] parts = login.accessToken().split("\\.");
        assertRefused(() -> f.bearer(parts[0] + "." + parts[1] + "."));
        assertRefused(() -> f.bearer(parts[0] + "." + parts[1]));
        JWTClaimsSet original = SignedJWT.parse(login.accessToken()).getJWTClaimsSet();
        JWTClaimsSet evil = new JWTClaimsSet.Builder(original)
                .subject(UUID.randomUUID().toString())
                .build();
        String tampered = parts[0] + "." + Base64URL.encode(evil.toString()) + "." + parts[2];
        assertRefused(() -> f.bearer(tampered));
        JWTClaimsSet longer = new JWTClaimsSet.Builder(original)
                .expirationTime(Date.from(f.clock.instant().plus(Duration.ofDays(1))))
                .build();
        assertRefused(() -> f.bearer(parts[0] + "." + Base64URL.encode(longer.toString()) + "." + parts[2]));
        assertThat(f.bearer(login.accessToken())).isPresent();
    }

    @Test
    void theTokenOfADisabledUserStopsWorkingAtOnce() {
        assertThat(f.bearer(login.accessToken())).isPresent();
        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false), Optional.empty()));
        assertRefused(() -> f.bearer(login.accessToken()));
        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true), Optional.empty()));
        // re-enabled, but disabling revoked the session: the old token stays dead
        assertRefused(() -> f.bearer(login.accessToken()));
        assertThat(f.bearer(f.login("alice", Fixture.PASSWORD).accessToken())).isPresent();
    }

    @Test
    void aTokenOfAnUnknownUserIsRefused() {
        assertRefused(() -> f.bearer(sign(b -> b.subject(UUID.randomUUID().toString()))));
    }

    @Test
    void tokensMissingClaimsAreRefused() {
        assertRefused(() -> f.bearer(sign(b -> b.claim("sid", null))));
        assertRefused(() -> f.bearer(sign(b -> b.jwtID(null))));
        assertRefused(() -> f.bearer(sign(b -> b.expirationTime(null))));
    }

    private String jwk(String kid) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys =
                (List<Map<String, Object>>) f.auth.jwks().get("keys");
        Map<String, Object> k =
                keys.stream().filter(m -> kid.equals(m.get("kid"))).findFirst().orElseThrow();
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(k);
    }

    private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = f.clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .subject(alice.id())
                .claim("sid", UUID.randomUUID().toString())
                .issuer("karyo")
                .audience("karyo-api")
                .expirationTime(Date.from(now.plusSeconds(600)))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", "api")
                .claim("client_id", "karyo-web");
        return change.apply(b).build();
    }

    /** A token signed with the current Karyo key. */
    private String sign(UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(f.keys.current().kid())
                        .build(),
                f.keys.current().signer(),
                change);
    }

    private String sign(JWSHeader header, JWSSigner signer, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims(change));
            jwt.sign(signer);
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(Runnable r) {
        KaryoException e = Fixture.failure(r);
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(e.getMessage()).isEqualTo(AccessTokens.INVALID);
    }

    private static void assertExpired(Runnable r) {
        KaryoException e = Fixture.failure(r);
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(e.getMessage()).isEqualTo(BearerRefusals.EXPIRED);
    }
}
