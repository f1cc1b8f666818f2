package org.karyo.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.rest.internal.json.Problems;
import org.karyo.rest.internal.openapi.OpenApiResource;

/** Request ids, trusted proxies, CORS decisions, forwarded URLs and security headers. */
class SmallRulesTest {

    @Test
    void saneRequestIdsAreKeptOthersReplaced() {
        assertThat(RequestIds.accept("abc-123_x.y")).isEqualTo("abc-123_x.y");
        assertThat(RequestIds.accept("a".repeat(64))).hasSize(64);
        for (String bad : new String[] {null, "", "a".repeat(65), "id with space", "x\ny", "<script>", "ünï"}) {
            String id = RequestIds.accept(bad);
            assertThat(id).isNotEqualTo(bad).matches("[0-9a-f-]{36}");
        }
        assertThat(RequestIds.accept(null)).isNotEqualTo(RequestIds.accept(null));
    }

    @Test
    void ipRangesMatchAddressesAndCidrs() {
        IpRange single = IpRange.parse("10.0.0.5");
        assertThat(single.contains("10.0.0.5")).isTrue();
        assertThat(single.contains("10.0.0.6")).isFalse();
        IpRange net = IpRange.parse("192.168.0.0/16");
        assertThat(net.contains("192.168.255.1")).isTrue();
        assertThat(net.contains("192.169.0.1")).isFalse();
        assertThat(IpRange.parse("10.1.2.3/12").contains("10.15.255.255")).isTrue();
        assertThat(IpRange.parse("10.1.2.3/12").contains("10.16.0.0")).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
        IpRange v6 = IpRange.parse("fd00::/8");
        assertThat(v6.contains("fd12:3456::1")).isTrue();
        assertThat(v6.contains("fe80::1")).isFalse();
        assertThat(IpRange.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(IpRange.parse("::1").contains("[::1]")).isTrue();
        // an IPv4-mapped IPv6 peer is its IPv4 address
        assertThat(IpRange.parse("127.0.0.0/8").contains("::ffff:127.0.0.1")).isTrue();
        // v4 ranges never match v6 peers and vice versa; names are never resolved
        assertThat(net.contains("::1")).isFalse();
        assertThat(single.contains("localhost")).isFalse();
        assertThat(single.contains(null)).isFalse();
    }

    @Test
    void invalidRangesAreRefused() {
        for (String bad :
                new String[] {"localhost", "10.0.0.256", "10.0.0.0/33", "fd00::/129", "1.2.3", "10.0.0.0/x", "::g"}) {
            assertThatThrownBy(() -> IpRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void settingsTrustOnlyTheConfiguredProxies() {
        Settings s = TestSettings.settings("10.0.0.0/8, 127.0.0.1 ::1", "", 100);
        assertThat(s.trustsProxy("10.2.3.4")).isTrue();
        assertThat(s.trustsProxy("127.0.0.1")).isTrue();
        assertThat(s.trustsProxy("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(s.trustsProxy("192.168.1.1")).isFalse();
        assertThat(TestSettings.defaults().trustsProxy("127.0.0.1")).isFalse();
        assertThat(s.maxBodyBytes()).isEqualTo(100);
    }

    @Test
    void environmentBeatsTheConfigurationFile() {
        Settings s = new Settings(
                TestSettings.config("", "", 1024),
                EnvOverrides.of(Map.of(
                        "KARYO_TRUSTED_PROXIES", "172.16.0.0/12", "KARYO_CORS_ORIGINS", "https://app.example.org")));
        assertThat(s.trustsProxy("172.20.0.1")).isTrue();
        assertThat(s.cors().allows("https://app.example.org")).isTrue();
    }

    @Test
    void aWrongConfigurationNamesTheKey() {
        assertThatThrownBy(() -> TestSettings.settings("10.0.0.0/8, proxy.local", "", 1024))
                .hasMessageContaining("org.karyo.rest: trusted.proxies")
                .hasMessageContaining("proxy.local");
        assertThatThrownBy(() -> TestSettings.settings("", "app.example.org", 1024))
                .hasMessageContaining("cors.allowed.origins")
                .hasMessageContaining("app.example.org");
        assertThatThrownBy(() -> TestSettings.settings("", "", 0)).hasMessageContaining("max.body.bytes");
        assertThatThrownBy(() -> new Settings(
                        TestSettings.config("", "", 1024), EnvOverrides.of(Map.of("KARYO_TRUSTED_PROXIES", "nope"))))
                .hasMessageContaining("trusted.proxies (from KARYO_TRUSTED_PROXIES)");
    }

    @Test
    void corsAllowsOnlyListedOrigins() {
        Cors cors = Cors.parse("https://app.example.org, http://localhost:3000", 600);
        assertThat(cors.enabled()).isTrue();
        assertThat(cors.allows("https://app.example.org")).isTrue();
        assertThat(cors.allows("https://APP.example.org:443")).isTrue();
        assertThat(cors.allows("http://localhost:3000")).isTrue();
        assertThat(cors.allows("http://localhost:3001")).isFalse();
        assertThat(cors.allows("https://evil.example.org")).isFalse();
        assertThat(cors.allows("null")).isFalse();
        assertThat(cors.allows(null)).isFalse();
        assertThat(Cors.parse("", 600).enabled()).isFalse();
        assertThat(Cors.parse("", 600).allows("https://app.example.org")).isFalse();
    }

    @Test
    void corsHeaders() {
        Cors cors = Cors.parse("https://app.example.org", 600);
        MultivaluedMap<String, Object> preflight = new MultivaluedHashMap<>();
        cors.preflightHeaders("https://app.example.org", preflight);
        assertThat(preflight.getFirst("Access-Control-Allow-Origin")).isEqualTo("https://app.example.org");
        assertThat((String) preflight.getFirst("Access-Control-Allow-Headers"))
                .contains("Authorization", "Content-Type", "If-Match", "X-Request-Id");
        assertThat((String) preflight.getFirst("Access-Control-Allow-Methods")).contains("PATCH", "DELETE");
        assertThat((String) preflight.getFirst("Access-Control-Expose-Headers"))
                .isEqualTo("Location, ETag, X-Request-Id, Retry-After");
        assertThat(preflight.getFirst("Vary")).isEqualTo("Origin");
        assertThat(Cors.isPreflight("OPTIONS", "https://a.b", "POST")).isTrue();
        assertThat(Cors.isPreflight("OPTIONS", "https://a.b", null)).isFalse();
        assertThat(Cors.isPreflight("GET", "https://a.b", "POST")).isFalse();

        MultivaluedMap<String, Object> any = new MultivaluedHashMap<>();
        Cors.parse("*", 60).actualHeaders("https://x.org", any);
        assertThat(any.getFirst("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void forwardedHeadersGiveThePublicUrl() {
        URI base = URI.create("http://10.0.0.5:8181/api/");
        URI request = URI.create("http://10.0.0.5:8181/api/webcontent/contents?limit=5");
        var u = ForwardedHeaders.rewrite(base, request, "https", "karyo.example.org", null, "/research")
                .orElseThrow();
        assertThat(u.base()).isEqualTo(URI.create("https://karyo.example.org/research/api/"));
        assertThat(u.request())
                .isEqualTo(URI.create("https://karyo.example.org/research/api/webcontent/contents?limit=5"));

        var port = ForwardedHeaders.rewrite(base, request, "https", "karyo.example.org:8443", null, null)
                .orElseThrow();
        assertThat(port.base()).isEqualTo(URI.create("https://karyo.example.org:8443/api/"));
        var explicitPort = ForwardedHeaders.rewrite(base, request, "http", "h.org", "8080", null)
                .orElseThrow();
        assertThat(explicitPort.base()).isEqualTo(URI.create("http://h.org:8080/api/"));
        var protoOnly = ForwardedHeaders.rewrite(base, request, "https", null, null, null)
                .orElseThrow();
        assertThat(protoOnly.base()).isEqualTo(URI.create("https://10.0.0.5/api/"));
        // the first value of a proxy chain is the client's
        var chain = ForwardedHeaders.rewrite(base, request, "https, http", "a.org, b.internal", null, null)
                .orElseThrow();
        assertThat(chain.base()).isEqualTo(URI.create("https://a.org/api/"));

        assertThat(ForwardedHeaders.rewrite(base, request, null, null, null, null))
                .isEmpty();
        // malformed values are ignored one by one
        assertThat(ForwardedHeaders.rewrite(base, request, "gopher", "evil.org/x", "99999", "/../x"))
                .isEmpty();
        var badHost = ForwardedHeaders.rewrite(base, request, "https", "a b", null, null)
                .orElseThrow();
        assertThat(badHost.base().getHost()).isEqualTo("10.0.0.5");
    }

    @Test
    void securityHeadersKeepWhatTheResourceSet() {
        MultivaluedMap<String, Object> h = new MultivaluedHashMap<>();
        h.putSingle("cache-control", "public, max-age=60");
        SecurityHeaders.apply(h, true);
        assertThat(h.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(h.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(h.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(h.getFirst("Content-Security-Policy")).isEqualTo(SecurityHeaders.API_CSP);
        assertThat(h.get("Cache-Control")).isNull();
        assertThat(h.getFirst("cache-control")).isEqualTo("public, max-age=60");
        assertThat(h.getFirst("Strict-Transport-Security")).isNotNull();

        MultivaluedMap<String, Object> plain = new MultivaluedHashMap<>();
        SecurityHeaders.apply(plain, false);
        assertThat(plain.getFirst("Cache-Control")).isEqualTo("no-store");
        assertThat(plain.getFirst("Strict-Transport-Security")).isNull();
    }

    @Test
    void pathTemplates() {
        assertThat(JaxrsAnnotations.normalise("/webcontent/contents/{id: [0-9]+}"))
                .isEqualTo("/webcontent/contents/{id}");
        assertThat(JaxrsAnnotations.normalise("/a/{x : \\d{3}}/b/")).isEqualTo("/a/{x}/b");
        assertThat(JaxrsAnnotations.normalise("//a//b")).isEqualTo("/a/b");
        assertThat(JaxrsAnnotations.normalise("")).isEqualTo("/");
    }

    @Test
    void openApiVersionIsTheBundleVersion() {
        assertThat(OpenApiResource.version(new org.osgi.framework.Version(0, 1, 0, "SNAPSHOT")))
                .isEqualTo("0.1.0-SNAPSHOT");
        assertThat(OpenApiResource.version(new org.osgi.framework.Version(1, 2, 3)))
                .isEqualTo("1.2.3");
    }

    @Test
    void retryAfterRoundsUp() {
        assertThat(Problems.retryAfterSeconds(java.time.Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(Problems.retryAfterSeconds(java.time.Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Problems.retryAfterSeconds(java.time.Duration.ofSeconds(-5))).isZero();
    }
}
