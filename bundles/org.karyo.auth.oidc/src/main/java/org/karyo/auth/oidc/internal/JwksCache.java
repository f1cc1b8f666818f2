package org.karyo.auth.oidc.internal;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.List;

/**
 * The provider's signing keys, from the {@code jwks_uri} of its discovery document (read on first use). Nimbus's
 * source caches them for {@code jwks.cache.minutes}, fetches them again when a token names an unknown key id, and
 * allows at most two fetches per rate-limit interval, so tokens with made-up key ids cannot make the platform hammer
 * the provider.
 */
final class JwksCache implements JWKSource<SecurityContext> {
    static final Duration DEFAULT_RATE_LIMIT = Duration.ofSeconds(30);
    private static final int SIZE_LIMIT = 512 * 1024;

    private final OidcSettings settings;
    private final Discovery discovery;
    private final Duration rateLimit;
    private volatile JWKSource<SecurityContext> source;

    JwksCache(OidcSettings settings, Discovery discovery, Duration rateLimit) {
        this.settings = settings;
        this.discovery = discovery;
        this.rateLimit = rateLimit;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return source().get(selector, context);
    }

    private JWKSource<SecurityContext> source() throws KeySourceException {
        JWKSource<SecurityContext> known = source;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (source == null) {
                int timeout = settings.httpTimeoutMillis();
                long ttl = Duration.ofMinutes(settings.jwksCacheMinutes()).toMillis();
                try {
                    source = JWKSourceBuilder.create(
                                    discovery.metadata().getJWKSetURI().toURL(),
                                    new DefaultResourceRetriever(timeout, timeout, SIZE_LIMIT))
                            .cache(ttl, timeout)
                            .rateLimited(rateLimit.toMillis())
                            .retrying(false)
                            .build();
                } catch (MalformedURLException | IllegalArgumentException e) {
                    throw new KeySourceException("the provider's jwks_uri is not a URL", e);
                }
            }
            return source;
        }
    }
}
