package org.karyo.auth.impl.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
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

    private final DataSource dataSource;
    private final UnitOfWork uow;
    private final MasterKey masterKey;
    private final AuthSettings settings;
    private final Clock clock;
    private volatile State state;

    @Activate
    public SigningKeys(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference MasterKey masterKey,
            @Reference AuthSettings settings) {
        this(dataSource, uow, masterKey, settings, Clock.systemUTC());
    }

    /** For tests: loads the keys and rotates if none is current or the current one is due. */
    SigningKeys(DataSource dataSource, UnitOfWork uow, MasterKey masterKey, AuthSettings settings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.uow = Objects.requireNonNull(uow, "uow");
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
        uow.run(() -> {
            Connection c = uow.connection();
            try {
                try (PreparedStatement lock =
                        c.prepareStatement("select pg_advisory_xact_lock(hashtext('karyo_auth.signing_keys'))")) {
                    lock.execute();
                }
                Instant now = clock.instant();
                String kid = newKid();
                RSAKey key = new RSAKeyGenerator(settings.signingKeyBits())
                        .keyID(kid)
                        .algorithm(JWSAlgorithm.RS256)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
                byte[] sealed = masterKey.seal(key.toRSAPrivateKey().getEncoded(), context(kid));
                try (PreparedStatement retire = c.prepareStatement(
                        "update karyo_auth.signing_keys set retired_at = ?" + " where retired_at is null")) {
                    retire.setTimestamp(1, Timestamp.from(now));
                    retire.executeUpdate();
                }
                try (PreparedStatement insert = c.prepareStatement("insert into karyo_auth.signing_keys"
                        + " (kid, alg, public_jwk, private_key, created_at, activated_at) values (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, kid);
                    insert.setString(2, JWSAlgorithm.RS256.getName());
                    insert.setString(3, key.toPublicJWK().toJSONString());
                    insert.setBytes(4, sealed);
                    insert.setTimestamp(5, Timestamp.from(now));
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.executeUpdate();
                }
                LOG.info("New token signing key {} ({} bit RSA) is current", kid, settings.signingKeyBits());
            } catch (SQLException | JOSEException e) {
                throw new IllegalStateException("Rotating the signing key failed", e);
            }
        });
        state = load();
    }

    private Duration keep() {
        return settings.accessTokenTtl().plus(settings.clockSkew());
    }

    private State load() {
        Instant now = clock.instant();
        Timestamp cutoff = Timestamp.from(now.minus(keep()));
        Map<String, Entry> keys = new LinkedHashMap<>();
        String currentKid = null;
        JWSSigner signer = null;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select kid, alg, public_jwk, private_key, activated_at,"
                        + " retired_at from karyo_auth.signing_keys where retired_at is null or retired_at > ?"
                        + " order by activated_at desc")) {
            ps.setTimestamp(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kid = rs.getString(1);
                    if (!JWSAlgorithm.RS256.getName().equals(rs.getString(2))) {
                        continue;
                    }
                    RSAKey publicJwk = RSAKey.parse(rs.getString(3));
                    Instant activatedAt = rs.getTimestamp(5).toInstant();
                    Timestamp retired = rs.getTimestamp(6);
                    Entry e = new Entry(
                            kid,
                            publicJwk,
                            new RSASSAVerifier(publicJwk),
                            activatedAt,
                            retired == null ? null : retired.toInstant());
                    keys.put(kid, e);
                    if (retired == null && currentKid == null) {
                        currentKid = kid;
                        signer = new RSASSASigner(privateKey(kid, rs.getBytes(4)));
                    }
                }
            }
        } catch (SQLException | ParseException | JOSEException e) {
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
