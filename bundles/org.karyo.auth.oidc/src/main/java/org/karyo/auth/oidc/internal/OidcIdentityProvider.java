package org.karyo.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.KaryoException;
import org.karyo.auth.api.ExternalIdentity;
import org.karyo.auth.api.ExternalUser;
import org.karyo.auth.api.IdentityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenID Connect provider: the authorization-code exchange (PKCE, {@code client_secret_basic} or a public client)
 * with ID token validation, and verification of the provider's bearer tokens against its cached JWKS. Tokens,
 * codes, verifiers and secrets are never logged; usernames neither.
 */
final class OidcIdentityProvider implements IdentityProvider {
    /** Asymmetric algorithms only: an HMAC token "signed" with public material is never accepted. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private static final Logger LOG = LoggerFactory.getLogger(OidcIdentityProvider.class);
    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final OidcSettings settings;
    private final Discovery discovery;
    private final IDTokenValidator idTokenValidator;
    private final DefaultJWTProcessor<SecurityContext> bearerProcessor;

    OidcIdentityProvider(OidcSettings settings, Clock clock) {
        this(settings, Discovery.of(settings, clock), JwksCache.DEFAULT_RATE_LIMIT);
    }

    OidcIdentityProvider(OidcSettings settings, Discovery discovery, Duration jwksRateLimit) {
        this.settings = settings;
        this.discovery = discovery;
        JWKSource<SecurityContext> keys = new JwksCache(settings, discovery, jwksRateLimit);

        this.idTokenValidator = new IDTokenValidator(
                new Issuer(settings.issuer()),
                new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(ALGORITHMS, keys),
                null);

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(
                new DefaultJWTClaimsVerifier<>(settings.audience(), null, Set.of("iss", "sub", "exp"), null));
        this.bearerProcessor = processor;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public boolean autoProvision() {
        return settings.autoProvision();
    }

    @Override
    public ExternalIdentity exchange(String authCode, String redirectUri, String codeVerifier) {
        if (isBlank(authCode) || isBlank(redirectUri) || isBlank(codeVerifier)) {
            throw failed("the login lacks the code, the redirect URI or the PKCE code verifier");
        }
        AuthorizationCodeGrant grant;
        try {
            grant = new AuthorizationCodeGrant(
                    new AuthorizationCode(authCode), new URI(redirectUri), new CodeVerifier(codeVerifier));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failed("malformed redirect URI or code verifier");
        }
        OIDCProviderMetadata metadata = discovery.metadata();
        ClientID clientId = new ClientID(settings.clientId());
        TokenRequest request = settings.clientSecret() == null
                ? new TokenRequest(metadata.getTokenEndpointURI(), clientId, grant)
                : new TokenRequest(
                        metadata.getTokenEndpointURI(),
                        new ClientSecretBasic(clientId, new Secret(settings.clientSecret())),
                        grant);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(settings.httpTimeoutMillis());
        http.setReadTimeout(settings.httpTimeoutMillis());

        HTTPResponse response;
        try {
            response = http.send();
        } catch (IOException e) {
            LOG.warn(
                    "OIDC provider {}: token endpoint unreachable ({})",
                    name(),
                    e.getClass().getSimpleName());
            throw unavailable();
        }
        TokenResponse tokens;
        try {
            tokens = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            if (response.getStatusCode() >= 500) {
                LOG.warn("OIDC provider {}: token endpoint answered {}", name(), response.getStatusCode());
                throw unavailable();
            }
            throw failed("unreadable token response (HTTP " + response.getStatusCode() + ")");
        }
        if (!tokens.indicatesSuccess()) {
            ErrorObject error = tokens.toErrorResponse().getErrorObject();
            throw failed(
                    "the token endpoint refused the code (" + error.getHTTPStatusCode() + " " + error.getCode() + ")");
        }
        if (!(tokens.toSuccessResponse() instanceof OIDCTokenResponse oidc)
                || oidc.getOIDCTokens().getIDToken() == null) {
            throw failed("the token response has no ID token");
        }
        JWTClaimsSet claims;
        try {
            claims = idTokenValidator
                    .validate(oidc.getOIDCTokens().getIDToken(), null)
                    .toJWTClaimsSet();
        } catch (BadJOSEException e) {
            throw failed("ID token rejected: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            throw failed("ID token signed with an unknown key");
        } catch (KeySourceException e) {
            LOG.warn("OIDC provider {}: signing keys unavailable ({})", name(), e.getMessage());
            throw unavailable();
        } catch (JOSEException | com.nimbusds.oauth2.sdk.ParseException e) {
            throw failed("ID token rejected: " + e.getMessage());
        }
        return identity(claims);
    }

    @Override
    public Optional<ExternalIdentity> verifyBearer(String token) {
        if (isBlank(token)) {
            return Optional.empty();
        }
        JWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = JWTParser.parse(token.trim());
            unverified = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            return Optional.empty(); // not a JWT: not ours
        }
        if (unverified == null || !settings.acceptedIssuers().contains(unverified.getIssuer())) {
            return Optional.empty();
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw bearerRejected("not a signed JWT");
        }
        discovery.metadata();
        JWTClaimsSet claims;
        try {
            claims = bearerProcessor.process(signed, null);
        } catch (BadJOSEException e) {
            throw bearerRejected(e.getMessage());
        } catch (RateLimitReachedException e) {
            throw bearerRejected("signed with an unknown key");
        } catch (KeySourceException e) {
            LOG.warn("OIDC provider {}: signing keys unavailable ({})", name(), e.getMessage());
            throw unavailable();
        } catch (JOSEException e) {
            throw bearerRejected(e.getMessage());
        }
        if (!settings.acceptedIssuers().contains(claims.getIssuer())) {
            throw bearerRejected("issuer changed");
        }
        return Optional.of(identity(claims));
    }

    private ExternalIdentity identity(JWTClaimsSet claims) {
        Optional<String> username = text(claims, settings.usernameClaim());
        if (username.isEmpty()) {
            LOG.info("OIDC provider {}: token without the {} claim", name(), settings.usernameClaim());
            throw KaryoException.unauthenticated("The identity provider did not send a username");
        }
        Date expires = claims.getExpirationTime();
        if (claims.getSubject() == null || expires == null) {
            throw KaryoException.unauthenticated("The identity provider's token lacks sub or exp");
        }
        ExternalUser user = new ExternalUser(
                username.get(), text(claims, "given_name"), text(claims, "family_name"), text(claims, "email"));
        return new ExternalIdentity(name(), claims.getSubject(), user, expires.toInstant());
    }

    private static Optional<String> text(JWTClaimsSet claims, String claim) {
        Object value = claims.getClaim(claim);
        return value instanceof String s && !s.isBlank() ? Optional.of(s.trim()) : Optional.empty();
    }

    private KaryoException failed(String why) {
        LOG.info("OIDC provider {}: login failed: {}", name(), why);
        return KaryoException.unauthenticated("OIDC login failed");
    }

    private KaryoException bearerRejected(String why) {
        LOG.debug("OIDC provider {}: bearer token rejected: {}", name(), why);
        return KaryoException.unauthenticated("Invalid or expired token");
    }

    private KaryoException unavailable() {
        return KaryoException.unavailable(
                "identity-provider-unavailable",
                "The identity provider " + name() + " cannot be reached; try again later",
                Map.of("provider", name()),
                Duration.ofSeconds(5));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
