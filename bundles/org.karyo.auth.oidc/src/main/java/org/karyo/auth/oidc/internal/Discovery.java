package org.karyo.auth.oidc.internal;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.karyo.api.KaryoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's discovery document ({@code <issuer>/.well-known/openid-configuration}), fetched on first use and kept.
 * A failed fetch is retried at the next use after a back-off (1, 2, 4 … 60 seconds); until then callers get
 * UNAVAILABLE at once instead of waiting for the network again.
 */
final class Discovery {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    /** Reads the document; Nimbus's resolver in production, which also checks that its issuer is the expected one. */
    interface Fetcher {
        OIDCProviderMetadata fetch() throws IOException, GeneralException;
    }

    private final String provider;
    private final Fetcher fetcher;
    private final Clock clock;
    private volatile OIDCProviderMetadata metadata;
    private Instant nextAttempt = Instant.MIN;
    private int failures;

    Discovery(String provider, Fetcher fetcher, Clock clock) {
        this.provider = provider;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    static Discovery of(OidcSettings settings, Clock clock) {
        Issuer issuer = new Issuer(settings.issuer());
        int timeout = settings.httpTimeoutMillis();
        return new Discovery(settings.name(), () -> OIDCProviderMetadata.resolve(issuer, timeout, timeout), clock);
    }

    /**
     * The provider's metadata.
     *
     * @throws KaryoException UNAVAILABLE while the document cannot be read
     */
    OIDCProviderMetadata metadata() {
        OIDCProviderMetadata known = metadata;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (metadata != null) {
                return metadata;
            }
            Instant now = clock.instant();
            if (now.isBefore(nextAttempt)) {
                throw unavailable(Duration.between(now, nextAttempt));
            }
            try {
                OIDCProviderMetadata fetched = fetcher.fetch();
                if (fetched.getTokenEndpointURI() == null || fetched.getJWKSetURI() == null) {
                    throw new GeneralException("the document has no token_endpoint or jwks_uri");
                }
                metadata = fetched;
                failures = 0;
                LOG.info(
                        "OIDC provider {}: discovered (token endpoint {}, keys {})",
                        provider,
                        fetched.getTokenEndpointURI(),
                        fetched.getJWKSetURI());
                return fetched;
            } catch (IOException | GeneralException | RuntimeException e) {
                failures++;
                Duration wait = backoff(failures);
                nextAttempt = now.plus(wait);
                LOG.warn(
                        "OIDC provider {}: discovery failed ({}: {}); next attempt in {} s",
                        provider,
                        e.getClass().getSimpleName(),
                        e.getMessage(),
                        wait.toSeconds());
                throw unavailable(wait);
            }
        }
    }

    static Duration backoff(int failures) {
        long seconds = 1L << Math.min(failures - 1, 6);
        return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    private KaryoException unavailable(Duration retryAfter) {
        Duration wait = retryAfter.isNegative() || retryAfter.isZero() ? Duration.ofSeconds(1) : retryAfter;
        return KaryoException.unavailable(
                "identity-provider-unavailable",
                "The identity provider " + provider + " cannot be reached; try again later",
                Map.of("provider", provider),
                Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }
}
