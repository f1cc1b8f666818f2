package org.karyo.auth.impl.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.karyo.api.KaryoException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karyo access tokens: RS256 JWTs with a {@code kid} header, carrying identity only, with exactly the claims
 * {@code sub} (the user id), {@code sid} (the session), {@code iss}, {@code aud}, {@code exp}, {@code iat},
 * {@code nbf}, {@code jti}, {@code scope} and {@code client_id}. Never a username, never rights.
 *
 * <p>Verification is strict and in memory: the header's {@code alg} must be exactly RS256; tokens with {@code jku},
 * {@code x5u}, {@code jwk}, {@code x5c} or {@code crit} headers are refused; {@code kid} must name a key that may still
 * have valid tokens; then the signature, {@code iss}, {@code aud}, {@code exp}, {@code nbf} and {@code iat} (with the
 * configured clock skew). Verified tokens are remembered until they expire, so a token's signature is checked once.
 */
@Component(service = AccessTokens.class)
public class AccessTokens {
    /** The scope of a normal session. */
    public static final String SCOPE_API = "api";
    /** The scope of a session that must enrol a second factor first: it reaches {@code /auth/*} only. */
    public static final String SCOPE_MFA_ENROLMENT = "mfa_enrolment";
    /** What every refusal says: never which check failed. */
    static final String INVALID = BearerRefusals.INVALID;

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);
    private static final int MAX_CACHED = 20_000;

    private final SigningKeys keys;
    private final AuthSettings settings;
    private final Clock clock;
    private final ConcurrentMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Activate
    public AccessTokens(@Reference SigningKeys keys, @Reference AuthSettings settings) {
        this(keys, settings, Clock.systemUTC());
    }

    /** For tests. */
    public AccessTokens(SigningKeys keys, AuthSettings settings, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new access token. */
    public Issued issue(String userId, String sid, String clientId, String scope) {
        Instant now = clock.instant();
        Instant exp = now.plus(settings.accessTokenTtl());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("sid", sid)
                .issuer(settings.issuer())
                .audience(settings.audience())
                .expirationTime(Date.from(exp))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", scope)
                .claim("client_id", clientId)
                .build();
        SigningKeys.Current current = keys.current();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(current.kid())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(current.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing an access token failed", e);
        }
        return new Issued(jwt.serialize(), Instant.ofEpochSecond(exp.getEpochSecond()));
    }

    /**
     * Verifies a bearer token.
     *
     * @return empty when it is not a Karyo token (not a JWT, or another issuer): an external provider may know it
     * @throws KaryoException UNAUTHENTICATED when it claims to be a Karyo token and fails any check
     */
    public Optional<Verified> verify(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null) {
            if (known.expiresAt().plus(settings.clockSkew()).isAfter(now)) {
                return Optional.of(known);
            }
            verified.remove(token);
            throw expired();
        }
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token);
            if (!(jwt instanceof SignedJWT) && !(jwt instanceof PlainJWT)) {
                return Optional.empty();
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Optional.empty();
        }
        if (!settings.issuer().equals(claims.getIssuer())) {
            return Optional.empty();
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw refuse("unsigned");
        }
        JWSHeader h = signed.getHeader();
        if (!JWSAlgorithm.RS256.equals(h.getAlgorithm())) {
            throw refuse("alg " + h.getAlgorithm());
        }
        if (h.getJWKURL() != null
                || h.getJWK() != null
                || h.getX509CertURL() != null
                || h.getX509CertChain() != null
                || h.getX509CertSHA256Thumbprint() != null
                || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())) {
            throw refuse("key-bearing or critical header");
        }
        JWSVerifier verifier = keys.verifier(h.getKeyID()).orElseThrow(() -> refuse("unknown kid"));
        try {
            if (!signed.verify(verifier)) {
                throw refuse("signature");
            }
        } catch (JOSEException | IllegalStateException e) {
            throw refuse("signature");
        }
        Duration skew = settings.clockSkew();
        List<String> aud = claims.getAudience();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        Date iat = claims.getIssueTime();
        if (aud == null || !aud.contains(settings.audience())) {
            throw refuse("aud");
        }
        if (exp == null) {
            throw refuse("no exp");
        }
        if (!exp.toInstant().plus(skew).isAfter(now)) {
            throw expired(); // the signature is genuine: saying so lets the client refresh
        }
        if ((nbf != null && nbf.toInstant().isAfter(now.plus(skew)))
                || iat == null
                || iat.toInstant().isAfter(now.plus(skew))) {
            throw refuse("not yet valid");
        }
        String sub = claims.getSubject();
        String sid;
        String scope;
        String clientId;
        try {
            sid = claims.getStringClaim("sid");
            scope = claims.getStringClaim("scope");
            clientId = claims.getStringClaim("client_id");
        } catch (ParseException e) {
            throw refuse("claim types");
        }
        if (sub == null || sid == null || scope == null || clientId == null || claims.getJWTID() == null) {
            throw refuse("missing claims");
        }
        Verified v = new Verified(sub, sid, clientId, scope, exp.toInstant());
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.put(token, v);
        return Optional.of(v);
    }

    /** Forgets verified tokens (tests; the cache is otherwise bounded and entries expire with their tokens). */
    void forgetVerified() {
        verified.clear();
    }

    private static KaryoException refuse(String why) {
        LOG.debug("Access token refused: {}", why);
        return BearerRefusals.invalid();
    }

    private static KaryoException expired() {
        LOG.debug("Access token refused: expired");
        return BearerRefusals.expired();
    }

    /** A signed access token and when it expires. */
    public record Issued(String token, Instant expiresAt) {}

    /** What a valid Karyo access token says. */
    public record Verified(String userId, String sid, String clientId, String scope, Instant expiresAt) {}
}
