package org.karyo.auth.impl.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.PreparedStatement;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RS256 keys that sign Karyo access tokens. Stored in {@code karyo_auth.signing_keys}: the public half as a JWK,
 * the private half (PKCS#8) sealed by the {@link MasterKey} with the context {@code signing-key:<kid>}. One key is
 * current; a new one replaces it every {@code signing.key.rotation.days} (checked at activation and hourly by
 * {@link Housekeeping}). A replaced key is retired but stays in the JWKS and keeps verifying until every token it
 * signed has expired ({@code retired_at + access.token.ttl + clock.skew}).
 *
 * <p>Everything needed to sign and verify is held in memory: verifying a token costs no database round trip.
 */
@Component(service = SigningKeys.class)
public class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sql sql;
    private final Writes writes;
    private final MasterKey masterKey;
    private final AuthSettings settings;
    private final Clock clock;
    private final KeyPairs keyPairs;
    private volatile State state;

    /** Makes the RSA key pair of a new signing key, of the configured size. */
    @FunctionalInterface
    interface KeyPairs {
        KeyPair generate(int bits);
    }

    /** A new RSA key pair from the platform's secure random source: every rotation outside tests. */
    static KeyPair freshKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no RSA key pair generator", e);
        }
    }

    @Activate
    public SigningKeys(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference MasterKey masterKey,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, masterKey, settings, Clock.systemUTC());
    }

    /** For tests: loads the keys and rotates if none is current or the current one is due. */
    SigningKeys(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            MasterKey masterKey,
            AuthSettings settings,
            Clock clock) {
        this(dataSource, uow, audit, masterKey, settings, clock, SigningKeys::freshKeyPair);
    }

    /** For tests that make many key sets: as above, with the key pairs from {@code keyPairs}. */
    SigningKeys(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            MasterKey masterKey,
            AuthSettings settings,
            Clock clock,
            KeyPairs keyPairs) {
        this.keyPairs = Objects.requireNonNull(keyPairs, "keyPairs");
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        // a rotation is logged, not audited: no caller asked for it
        this.writes =
                Writes.statements(Objects.requireNonNull(uow, "uow"), sql, Objects.requireNonNull(audit, "audit"));
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.state = load();
        maintain();
    }

    /** The current key's id and signer. */
    Current current() {
        State s = state;
        return new Current(s.currentKid, s.signer);
    }

    /** A verifier for {@code kid} while that key may still have valid tokens; empty for an unknown or expired key. */
    Optional<JWSVerifier> verifier(String kid) {
        Entry e = kid == null ? null : state.keys.get(kid);
        if (e == null || !e.usable(clock.instant(), keep())) {
            return Optional.empty();
        }
        return Optional.of(e.verifier);
    }

    /** The public JWK set: the current key and the retired keys whose tokens may still be valid. */
    public Map<String, Object> jwks() {
        Instant now = clock.instant();
        List<Object> keys = new ArrayList<>();
        for (Entry e : state.keys.values()) {
            if (e.usable(now, keep())) {
                keys.add(e.publicJwk.toJSONObject());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keys", keys);
        return out;
    }

    /** Rotates when the current key is due (or missing) and forgets keys whose tokens have all expired. */
    public void maintain() {
        State s = state;
        Entry current = s.currentKid == null ? null : s.keys.get(s.currentKid);
        if (current == null
                || !current.activatedAt.plus(settings.signingKeyRotation()).isAfter(clock.instant())) {
            rotate();
        } else {
            Instant now = clock.instant();
            if (s.keys.values().stream().anyMatch(e -> !e.usable(now, keep()))) {
                state = load();
            }
        }
    }

    /** Makes a new key current and retires the previous one (which keeps verifying its tokens until they expire). */
    public void rotate() {
        writes.run("signing key", tx -> {
            // raw JDBC: a transaction-scoped advisory lock, so that nodes starting together rotate once
            tx.sql().raw(c -> {
                try (PreparedStatement lock =
                        c.prepareStatement("select pg_advisory_xact_lock(hashtext('karyo_auth.signing_keys'))")) {
                    return lock.execute();
                }
            });
            Instant now = Persistence.now(clock);
            String kid = newKid();
            RSAKey key;
            byte[] sealed;
            try {
                KeyPair pair = keyPairs.generate(settings.signingKeyBits());
                key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                        .privateKey(pair.getPrivate())
                        .keyID(kid)
                        .algorithm(JWSAlgorithm.RS256)
                        .keyUse(KeyUse.SIGNATURE)
                        .build();
                sealed = masterKey.seal(key.toRSAPrivateKey().getEncoded(), context(kid));
            } catch (JOSEException e) {
                throw new IllegalStateException("Rotating the signing key failed", e);
            }
            tx.update("update karyo_auth.signing_keys set retired_at = ? where retired_at is null", now);
            tx.update(
                    "insert into karyo_auth.signing_keys (kid, alg, public_jwk, private_key, created_at, activated_at)"
                            + " values (?, ?, ?, ?, ?, ?)",
                    kid,
                    JWSAlgorithm.RS256.getName(),
                    key.toPublicJWK().toJSONString(),
                    sealed,
                    now,
                    now);
            LOG.info("New token signing key {} ({} bit RSA) is current", kid, settings.signingKeyBits());
        });
        state = load();
    }

    private Duration keep() {
        return settings.accessTokenTtl().plus(settings.clockSkew());
    }

    private State load() {
        Instant now = clock.instant();
        record Stored(
                String kid, String alg, String publicJwk, byte[] privateKey, Instant activatedAt, Instant retiredAt) {}
        List<Stored> stored = sql.list(
                Select.of("kid, alg, public_jwk, private_key, activated_at, retired_at", "karyo_auth.signing_keys")
                        .where("retired_at is null or retired_at > ?", now.minus(keep()))
                        .orderBy("activated_at desc"),
                rs -> new Stored(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBytes(4),
                        Sql.instant(rs, "activated_at"),
                        Sql.instant(rs, "retired_at")));
        Map<String, Entry> keys = new LinkedHashMap<>();
        String currentKid = null;
        JWSSigner signer = null;
        try {
            for (Stored k : stored) {
                if (!JWSAlgorithm.RS256.getName().equals(k.alg())) {
                    continue;
                }
                RSAKey publicJwk = RSAKey.parse(k.publicJwk());
                Entry e = new Entry(k.kid(), publicJwk, new RSASSAVerifier(publicJwk), k.activatedAt(), k.retiredAt());
                keys.put(k.kid(), e);
                if (k.retiredAt() == null && currentKid == null) {
                    currentKid = k.kid();
                    signer = new RSASSASigner(privateKey(k.kid(), k.privateKey()));
                }
            }
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("Reading the signing keys failed", e);
        }
        Map<String, Entry> ordered = new LinkedHashMap<>();
        keys.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.activatedAt).reversed())
                .forEach(e -> ordered.put(e.kid, e));
        return new State(currentKid, signer, Collections.unmodifiableMap(ordered));
    }

    private RSAPrivateKey privateKey(String kid, byte[] sealed) {
        byte[] pkcs8;
        try {
            pkcs8 = masterKey.open(sealed, context(kid));
        } catch (IllegalStateException e) {
            String message = "The signing key " + kid + " cannot be opened with this master key: was "
                    + MasterKey.ENV_KEY + " changed? Restore the key it was sealed with.";
            LOG.error(message);
            throw new IllegalStateException(message, e);
        }
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The signing key " + kid + " cannot be decoded", e);
        }
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private static String newKid() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The key that signs new tokens. */
    record Current(String kid, JWSSigner signer) {}

    private record Entry(
            String kid, RSAKey publicJwk, RSASSAVerifier verifier, Instant activatedAt, Instant retiredAt) {
        boolean usable(Instant now, Duration keep) {
            return retiredAt == null || retiredAt.plus(keep).isAfter(now);
        }
    }

    private record State(String currentKid, JWSSigner signer, Map<String, Entry> keys) {}
}
