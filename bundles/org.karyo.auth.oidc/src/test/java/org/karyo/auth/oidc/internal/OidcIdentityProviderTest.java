package org.karyo.auth.oidc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.auth.api.ExternalIdentity;

/** Against a real OpenID Connect server (mock-oauth2-server) started by the test. */
class OidcIdentityProviderTest {
    private static final String CLIENT = "karyo-portal";
    private static final String REDIRECT = "https://portal.example.org/callback";
    private static final String ISSUER_ID = "default";

    private MockOAuth2Server server;

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    /** A Config as SCR builds it: the given keys, the annotation's defaults otherwise. */
    static OidcProviderComponent.Config config(Map<String, Object> values) {
        return (OidcProviderComponent.Config) Proxy.newProxyInstance(
                OidcIdentityProviderTest.class.getClassLoader(),
                new Class<?>[] {OidcProviderComponent.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    private String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    private OidcSettings settings(Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "test-idp");
        values.put("issuer", issuer());
        values.put("client.id", CLIENT);
        values.putAll(extra);
        return OidcSettings.resolve(config(values), EnvOverrides.of(Map.of()));
    }

    private OidcIdentityProvider provider(Map<String, Object> extra) {
        return new OidcIdentityProvider(settings(extra), Clock.systemUTC());
    }

    private OidcIdentityProvider provider() {
        return provider(Map.of());
    }

    // ---- helpers driving the real server -------------------------------------------------------------------------

    private static DefaultOAuth2TokenCallback user(String subject, List<String> audience, long expirySeconds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("preferred_username", "jdoe");
        claims.put("given_name", "Jane");
        claims.put("family_name", "Doe");
        claims.put("email", "jane.doe@example.org");
        return new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expirySeconds);
    }

    /** Drives the authorize endpoint like a browser would (no interactive login) and returns the code it issues. */
    private String authorize(CodeVerifier verifier) throws IOException, InterruptedException {
        CodeChallenge challenge = CodeChallenge.compute(CodeChallengeMethod.S256, verifier);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", CLIENT);
        query.put("response_type", "code");
        query.put("redirect_uri", REDIRECT);
        query.put("scope", "openid profile email");
        query.put("state", "s-123");
        query.put("code_challenge", challenge.getValue());
        query.put("code_challenge_method", "S256");
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.authorizationEndpointUrl(ISSUER_ID) + "?" + q))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT).contains("state=s-123");
        Map<String, String> params = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params.get("code");
    }

    /** The paths of the requests the server received since the last call. */
    private List<String> requests() {
        return requests(server);
    }

    private static List<String> requests(MockOAuth2Server server) {
        List<String> paths = new ArrayList<>();
        while (true) {
            RecordedRequest r;
            try {
                r = server.takeRequest(200, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return paths;
            }
            paths.add(r.getRequestUrl().encodedPath());
        }
    }

    private static long count(List<String> paths, String suffix) {
        return paths.stream().filter(p -> p.endsWith(suffix)).count();
    }

    private String bearer(List<String> audience, long expirySeconds) {
        return server.issueToken(ISSUER_ID, CLIENT, user("sub-42", audience, expirySeconds))
                .serialize();
    }

    private static void assertKind(Runnable call, Kind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.kind())
                .isEqualTo(kind));
    }

    // ---- discovery ----------------------------------------------------------------------------------------------

    @Test
    void discoveryReadsTheServersDocumentOnFirstUseOnly() {
        OidcSettings settings = settings(Map.of());
        Discovery discovery = Discovery.of(settings, Clock.systemUTC());
        new OidcIdentityProvider(settings, discovery, JwksCache.DEFAULT_RATE_LIMIT);
        assertThat(requests()).isEmpty(); // activation does no I/O

        var metadata = discovery.metadata();
        assertThat(metadata.getIssuer().getValue()).isEqualTo(issuer());
        assertThat(metadata.getTokenEndpointURI().toString())
                .isEqualTo(server.tokenEndpointUrl(ISSUER_ID).toString());
        assertThat(metadata.getJWKSetURI().toString())
                .isEqualTo(server.jwksUrl(ISSUER_ID).toString());
        discovery.metadata();
        assertThat(count(requests(), "/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void anUnreachableIssuerIsRetriedAfterABackOffAndWorksOnceItAnswers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Map<String, Object> values = new HashMap<>();
        values.put("name", "late");
        values.put("issuer", "http://localhost:" + port + "/" + ISSUER_ID);
        values.put("client.id", CLIENT);
        values.put("http.timeout.seconds", 2);
        OidcSettings settings = OidcSettings.resolve(config(values), EnvOverrides.of(Map.of()));
        OidcIdentityProvider provider =
                new OidcIdentityProvider(settings, Discovery.of(settings, clock), JwksCache.DEFAULT_RATE_LIMIT);

        assertThatThrownBy(() -> provider.exchange("code", REDIRECT, new CodeVerifier().getValue()))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });

        MockOAuth2Server late = new MockOAuth2Server();
        late.start(port);
        try {
            String token = late.issueToken(ISSUER_ID, CLIENT, user("sub-1", List.of(CLIENT), 3600))
                    .serialize();
            // within the back-off the provider does not call the provider again
            assertKind(() -> provider.verifyBearer(token), Kind.UNAVAILABLE);
            assertThat(requests(late)).isEmpty();

            clock.advance(Duration.ofSeconds(2));
            assertThat(provider.verifyBearer(token))
                    .hasValueSatisfying(id -> assertThat(id.user().username()).isEqualTo("jdoe"));
            assertThat(requests(late)).anyMatch(p -> p.endsWith("/.well-known/openid-configuration"));
        } finally {
            late.shutdown();
        }
    }

    // ---- authorization code + PKCE -------------------------------------------------------------------------------

    @Test
    void aFullAuthorizationCodeExchangeWithPkceGivesTheValidatedIdentity() throws Exception {
        OidcIdentityProvider provider = provider();
        server.enqueueCallback(user("sub-42", List.of("some-api"), 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        ExternalIdentity identity = provider.exchange(code, REDIRECT, verifier.getValue());

        assertThat(identity.provider()).isEqualTo("test-idp");
        assertThat(identity.subject()).isEqualTo("sub-42");
        assertThat(identity.user().username()).isEqualTo("jdoe");
        assertThat(identity.user().firstname()).contains("Jane");
        assertThat(identity.user().lastname()).contains("Doe");
        assertThat(identity.user().email()).contains("jane.doe@example.org");
        assertThat(identity.expiresAt())
                .isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));

        RecordedRequest tokenRequest = tokenRequest();
        String body = tokenRequest.getBody().readUtf8();
        assertThat(body).contains("grant_type=authorization_code").contains("code_verifier=");
        assertThat(body).contains("client_id=" + CLIENT); // a public client names itself in the body
        assertThat(tokenRequest.getHeader("Authorization")).isNull();
    }

    @Test
    void aConfidentialClientAuthenticatesWithClientSecretBasic() throws Exception {
        OidcIdentityProvider provider = provider(Map.of("client.secret", "s3cret-value"));
        server.enqueueCallback(user("sub-7", List.of(CLIENT), 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        assertThat(provider.exchange(code, REDIRECT, verifier.getValue()).subject())
                .isEqualTo("sub-7");

        String expected = "Basic "
                + Base64.getEncoder().encodeToString((CLIENT + ":s3cret-value").getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequest().getHeader("Authorization")).isEqualTo(expected);
    }

    private RecordedRequest tokenRequest() {
        while (true) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            if (r.getRequestUrl().encodedPath().endsWith("/token")) {
                return r;
            }
        }
    }

    @Test
    void aWrongCodeVerifierIsRejected() throws Exception {
        OidcIdentityProvider provider = provider();
        server.enqueueCallback(user("sub-42", List.of(CLIENT), 3600));
        String code = authorize(new CodeVerifier());

        assertKind(() -> provider.exchange(code, REDIRECT, new CodeVerifier().getValue()), Kind.UNAUTHENTICATED);
    }

    @Test
    void aCodeIsUsableOnce() throws Exception {
        OidcIdentityProvider provider = provider();
        server.enqueueCallback(user("sub-42", List.of(CLIENT), 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);
        provider.exchange(code, REDIRECT, verifier.getValue());

        assertKind(() -> provider.exchange(code, REDIRECT, verifier.getValue()), Kind.UNAUTHENTICATED);
    }

    @Test
    void aLoginWithoutCodeVerifierOrWithAMalformedOneIsRejectedWithoutCallingTheProvider() {
        OidcIdentityProvider provider = provider();
        assertKind(() -> provider.exchange("code", REDIRECT, ""), Kind.UNAUTHENTICATED);
        assertKind(() -> provider.exchange("code", REDIRECT, "too-short"), Kind.UNAUTHENTICATED);
        assertKind(() -> provider.exchange("code", "not a uri", new CodeVerifier().getValue()), Kind.UNAUTHENTICATED);
        assertThat(requests()).isEmpty();
    }

    @Test
    void anIdTokenWithoutTheUsernameClaimIsRejected() throws Exception {
        OidcIdentityProvider provider = provider(Map.of("username.claim", "upn"));
        server.enqueueCallback(user("sub-42", List.of(CLIENT), 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        assertKind(() -> provider.exchange(code, REDIRECT, verifier.getValue()), Kind.UNAUTHENTICATED);
    }

    @Test
    void theUsernameComesFromTheConfiguredClaim() throws Exception {
        OidcIdentityProvider provider = provider(Map.of("username.claim", "email"));
        server.enqueueCallback(user("sub-42", List.of(CLIENT), 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        assertThat(provider.exchange(code, REDIRECT, verifier.getValue()).user().username())
                .isEqualTo("jane.doe@example.org");
    }

    @Test
    void anIdTokenForAnotherAudienceIsRejected() throws Exception {
        OidcIdentityProvider provider = provider();
        Map<String, Object> claims = Map.of("preferred_username", "jdoe", "aud", List.of("another-client"));
        server.enqueueCallback(
                new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-42", "JWT", List.of(CLIENT), claims, 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        assertKind(() -> provider.exchange(code, REDIRECT, verifier.getValue()), Kind.UNAUTHENTICATED);
    }

    @Test
    void anIdTokenOfAnotherIssuerIsRejected() throws Exception {
        OidcIdentityProvider provider = provider();
        Map<String, Object> claims = Map.of("preferred_username", "jdoe", "iss", "https://evil.example.org");
        server.enqueueCallback(
                new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-42", "JWT", List.of(CLIENT), claims, 3600));
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(verifier);

        assertKind(() -> provider.exchange(code, REDIRECT, verifier.getValue()), Kind.UNAUTHENTICATED);
    }

    // ---- bearer tokens ------------------------------------------------------------------------------------------

    @Test
    void aBearerTokenOfTheProviderIsAccepted() {
        Optional<ExternalIdentity> identity = provider().verifyBearer(bearer(List.of(CLIENT), 3600));

        assertThat(identity).hasValueSatisfying(id -> {
            assertThat(id.provider()).isEqualTo("test-idp");
            assertThat(id.subject()).isEqualTo("sub-42");
            assertThat(id.user().username()).isEqualTo("jdoe");
            assertThat(id.user().email()).contains("jane.doe@example.org");
        });
    }

    @Test
    void theAudienceListDecidesWhichTokensAreAccepted() {
        OidcIdentityProvider provider = provider(Map.of("audience", "cohort-api, karyo-api"));

        assertThat(provider.verifyBearer(bearer(List.of("other", "karyo-api"), 3600)))
                .isPresent();
        assertKind(() -> provider.verifyBearer(bearer(List.of(CLIENT), 3600)), Kind.UNAUTHENTICATED);
    }

    @Test
    void aBearerTokenForAnotherAudienceIsRejected() {
        OidcIdentityProvider provider = provider();
        assertKind(() -> provider.verifyBearer(bearer(List.of("someone-else"), 3600)), Kind.UNAUTHENTICATED);
    }

    @Test
    void aTokenOfAForeignIssuerIsNotThisProvidersBusiness() {
        String foreign = server.issueToken("elsewhere", CLIENT, new DefaultOAuth2TokenCallback("elsewhere", "x"))
                .serialize();

        assertThat(provider().verifyBearer(foreign)).isEmpty();
        assertThat(provider().verifyBearer("not-a-jwt")).isEmpty();
        assertThat(provider().verifyBearer("")).isEmpty();
        assertThat(requests()).noneMatch(p -> p.endsWith("/jwks"));
    }

    @Test
    void anExtraIssuerIsAcceptedWithTheSameKeys() {
        String legacyIssuer = "https://legacy.example.org/realms/research";
        Map<String, Object> claims = Map.of("preferred_username", "jdoe", "iss", legacyIssuer);
        String token = server.issueToken(
                        ISSUER_ID,
                        CLIENT,
                        new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-9", "JWT", List.of(CLIENT), claims, 3600))
                .serialize();

        assertThat(provider().verifyBearer(token)).isEmpty();
        assertThat(provider(Map.of("extra.issuers", legacyIssuer)).verifyBearer(token))
                .hasValueSatisfying(id -> assertThat(id.subject()).isEqualTo("sub-9"));
    }

    @Test
    void anExpiredBearerTokenIsRejected() {
        OidcIdentityProvider provider = provider();
        assertKind(() -> provider.verifyBearer(bearer(List.of(CLIENT), -120)), Kind.UNAUTHENTICATED);
    }

    @Test
    void aBearerTokenNotValidYetIsRejected() {
        long inTenMinutes = Instant.now().plusSeconds(600).getEpochSecond();
        Map<String, Object> claims = Map.of("preferred_username", "jdoe", "nbf", inTenMinutes);
        String token = server.issueToken(
                        ISSUER_ID,
                        CLIENT,
                        new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-9", "JWT", List.of(CLIENT), claims, 3600))
                .serialize();
        assertThat(SignedJWTs.claims(token).getNotBeforeTime()).isAfter(new Date());

        OidcIdentityProvider provider = provider();
        assertKind(() -> provider.verifyBearer(token), Kind.UNAUTHENTICATED);
    }

    @Test
    void aTamperedBearerTokenIsRejected() throws Exception {
        String token = bearer(List.of(CLIENT), 3600);
        String[] parts = token.split("\\.");
        JWTClaimsSet changed = new JWTClaimsSet.Builder(SignedJWTs.claims(token))
                .claim("preferred_username", "admin")
                .build();
        String tampered = parts[0] + "." + Base64URL.encode(changed.toString()).toString() + "." + parts[2];

        OidcIdentityProvider provider = provider();
        assertKind(() -> provider.verifyBearer(tampered), Kind.UNAUTHENTICATED);
        // without its signature it is not even a JWS (nobody's token); with a signature of another token, rejected
        assertThat(provider.verifyBearer(parts[0] + "." + parts[1] + ".")).isEmpty();
        String other = bearer(List.of(CLIENT), 3600).split("\\.")[2];
        assertKind(() -> provider.verifyBearer(parts[0] + "." + parts[1] + "." + other), Kind.UNAUTHENTICATED);
    }

    @Test
    void tokensSignedWithOtherKeysOrAlgorithmsAreRejected() throws Exception {
        JWTClaimsSet claims = SignedJWTs.claims(bearer(List.of(CLIENT), 3600));
        OidcIdentityProvider provider = provider();

        // a key of our own, with the server's key id
        String serverKeyId =
                SignedJWT.parse(bearer(List.of(CLIENT), 3600)).getHeader().getKeyID();
        RSAKey foreignKey = new RSAKeyGenerator(2048).keyID(serverKeyId).generate();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(foreignKey.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        forged.sign(new RSASSASigner(foreignKey));
        assertKind(() -> provider.verifyBearer(forged.serialize()), Kind.UNAUTHENTICATED);

        // HS256 with a guessable secret, and alg none
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
        assertKind(() -> provider.verifyBearer(hmac.serialize()), Kind.UNAUTHENTICATED);
        assertKind(() -> provider.verifyBearer(new PlainJWT(claims).serialize()), Kind.UNAUTHENTICATED);
    }

    @Test
    void theJwksIsCachedAndRefreshedOnAnUnknownKeyIdAtMostTwicePerInterval() throws Exception {
        OidcIdentityProvider provider = provider();
        requests();

        for (int i = 0; i < 5; i++) {
            assertThat(provider.verifyBearer(bearer(List.of(CLIENT), 3600))).isPresent();
        }
        List<String> first = requests();
        assertThat(count(first, "/jwks")).isEqualTo(1);
        assertThat(count(first, "/.well-known/openid-configuration")).isEqualTo(1);

        // tokens naming unknown key ids: one refresh, then the rate limit holds
        JWTClaimsSet claims = SignedJWTs.claims(bearer(List.of(CLIENT), 3600));
        for (int i = 0; i < 4; i++) {
            RSAKey key = new RSAKeyGenerator(2048).keyID("rotated-" + i).generate();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            assertKind(() -> provider.verifyBearer(jwt.serialize()), Kind.UNAUTHENTICATED);
        }
        assertThat(count(requests(), "/jwks")).isEqualTo(1);

        // known keys still work from the cache
        assertThat(provider.verifyBearer(bearer(List.of(CLIENT), 3600))).isPresent();
        assertThat(count(requests(), "/jwks")).isZero();
    }

    @Test
    void unreachableSigningKeysMakeTheProviderUnavailableNotTheTokenInvalid() {
        OidcSettings settings = settings(Map.of());
        Discovery discovery = Discovery.of(settings, Clock.systemUTC());
        OidcIdentityProvider provider = new OidcIdentityProvider(settings, discovery, JwksCache.DEFAULT_RATE_LIMIT);
        discovery.metadata();
        String token = bearer(List.of(CLIENT), 3600);
        server.shutdown();
        server = null;

        assertKind(() -> provider.verifyBearer(token), Kind.UNAVAILABLE);
    }

    // ---- configuration checks -----------------------------------------------------------------------------------

    @Test
    void configurationDefaultsAndEnvironmentOverrides() {
        Map<String, Object> values =
                Map.of("name", "aphp", "issuer", "https://idp.example.org/realms/x", "client.id", "c");
        OidcSettings defaults = OidcSettings.resolve(config(values), EnvOverrides.of(Map.of()));
        assertThat(defaults.audience()).containsExactly("c");
        assertThat(defaults.clientSecret()).isNull();
        assertThat(defaults.usernameClaim()).isEqualTo("preferred_username");
        assertThat(defaults.autoProvision()).isFalse();
        assertThat(defaults.jwksCacheMinutes()).isEqualTo(15);
        assertThat(defaults.scopes()).isEqualTo("openid profile email");
        assertThat(defaults.httpTimeoutSeconds()).isEqualTo(10);

        OidcSettings overridden = OidcSettings.resolve(
                config(values),
                EnvOverrides.of(Map.of(
                        "KARYO_OIDC_APHP_CLIENT_SECRET", "from-env",
                        "KARYO_OIDC_APHP_AUDIENCE", "a,b",
                        "KARYO_OIDC_APHP_AUTO_PROVISION", "true")));
        assertThat(overridden.clientSecret()).isEqualTo("from-env");
        assertThat(overridden.audience()).containsExactlyInAnyOrder("a", "b");
        assertThat(overridden.autoProvision()).isTrue();
        assertThat(overridden.toString()).doesNotContain("from-env").contains("client.secret=set");
        assertThat(OidcSettings.variable("my-idp", "extra.issuers")).isEqualTo("KARYO_OIDC_MY_IDP_EXTRA_ISSUERS");
    }

    @Test
    void wrongConfigurationFailsActivationNamingTheKey() {
        Map<String, Object> base = Map.of("name", "x", "issuer", "https://idp.example.org", "client.id", "c");
        assertThatThrownBy(() -> resolve(base, Map.of("name", "bad name"))).hasMessageContaining("name");
        assertThatThrownBy(() -> resolve(base, Map.of("issuer", "ftp://idp"))).hasMessageContaining("issuer");
        assertThatThrownBy(() -> resolve(base, Map.of("client.id", ""))).hasMessageContaining("client.id");
        assertThatThrownBy(() -> resolve(base, Map.of("jwks.cache.minutes", 0)))
                .hasMessageContaining("jwks.cache.minutes");
        assertThatThrownBy(() -> resolve(base, Map.of("scopes", "profile"))).hasMessageContaining("scopes");
        assertThatThrownBy(() -> OidcSettings.resolve(
                        config(base), EnvOverrides.of(Map.of("KARYO_OIDC_X_HTTP_TIMEOUT_SECONDS", "soon"))))
                .hasMessageContaining("http.timeout.seconds (from KARYO_OIDC_X_HTTP_TIMEOUT_SECONDS)");
    }

    private static OidcSettings resolve(Map<String, Object> base, Map<String, Object> change) {
        Map<String, Object> values = new HashMap<>(base);
        values.putAll(change);
        return OidcSettings.resolve(config(values), EnvOverrides.of(Map.of()));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Reads a token's claims without checking it (test helper). */
    static final class SignedJWTs {
        static JWTClaimsSet claims(String token) {
            try {
                return SignedJWT.parse(token).getJWTClaimsSet();
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
