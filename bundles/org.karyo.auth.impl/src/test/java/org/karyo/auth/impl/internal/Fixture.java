package org.karyo.auth.impl.internal;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.impl.internal.mfa.SecondFactor;
import org.karyo.auth.impl.internal.tokens.ApiTokenAuthenticator;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestClock;
import org.karyo.testing.TestDatabase;

/** The identity module wired by hand on a fresh database, with fakes for the parts other helpers or modules own. */
public final class Fixture implements AutoCloseable {
    static final byte[] KEY = new byte[32];
    static final String PASSWORD = "Correct-Horse-42!";
    static final ClientInfo CLIENT = new ClientInfo("192.0.2.10", "karyo-web");

    final TestDatabase db;
    final TestClock clock = new TestClock(START);
    final RecordingAuditTrail audit;
    final AuthSettings settings;
    final Users users;
    final Backoff backoff;
    final MasterKey masterKey = new MasterKey(KEY);
    final SigningKeys keys;
    final AccessTokens tokens;
    final Sessions sessions;
    final Provisioning provisioning;
    final UserServiceImpl userService;
    final FakeSecondFactor secondFactor = new FakeSecondFactor();
    final FakeApiTokens apiTokens = new FakeApiTokens();
    final AuthServiceImpl auth;
    final AuthenticatorImpl authenticator;
    final Caller admin = TestCallers.withEveryRight("00000000-0000-0000-0000-0000000000ad");

    Fixture() {
        this(Map.of());
    }

    Fixture(Map<String, Object> overrides) {
        db = TestDatabase.create();
        try {
            db.migrate("auth", AuthServiceImpl.class, "db/auth");
            Map<String, Object> props = new HashMap<>();
            props.put("argon2.memory.kib", "8192");
            props.put("argon2.iterations", "1");
            props.put("signing.key.bits", "2048");
            props.putAll(overrides);
            settings = new AuthSettings(props, EnvOverrides.of(Map.of()));
            UnitOfWork uow = db.unitOfWork();
            audit = new RecordingAuditTrail(uow);
            users = new Users(db.dataSource());
            backoff = new Backoff(db.dataSource(), uow, audit, settings, clock);
            keys = new SigningKeys(db.dataSource(), uow, audit, masterKey, settings, clock, this::keyPair);
            tokens = new AccessTokens(keys, settings, clock);
            sessions = new Sessions(db.dataSource(), uow, audit, settings, clock);
            provisioning = new Provisioning(db.dataSource(), uow, audit, users, settings, clock);
            userService = new UserServiceImpl(db.dataSource(), uow, audit, users, sessions, settings, clock);
            auth = new AuthServiceImpl(
                    uow, audit, users, backoff, secondFactor, tokens, keys, sessions, provisioning, settings, clock);
            authenticator = new AuthenticatorImpl(tokens, sessions, users, apiTokens, provisioning, settings);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * RSA key pairs made once per test JVM: a fixture takes them in order (its first signing key, then one per
     * rotation), so the keys of one fixture stay distinct while RSA key generation (46 % of AccessTokenTest's CPU
     * before) runs a few times per JVM instead of once per test. The platform's own generation runs in the
     * integration tests, which boot real platforms.
     */
    private static final Map<Integer, List<KeyPair>> KEY_PAIRS = new HashMap<>();

    private int keyPairsTaken;

    private KeyPair keyPair(int bits) {
        int index = keyPairsTaken++;
        synchronized (KEY_PAIRS) {
            List<KeyPair> pairs = KEY_PAIRS.computeIfAbsent(bits, b -> new ArrayList<>());
            while (pairs.size() <= index) {
                pairs.add(SigningKeys.freshKeyPair(bits));
            }
            return pairs.get(index);
        }
    }

    /** Creates an active person with {@link #PASSWORD}. */
    User person(String username) {
        return userService.create(
                admin,
                new NewUser(
                        username,
                        "First",
                        "Last",
                        Optional.empty(),
                        UserKind.PERSON,
                        Optional.of(PASSWORD.toCharArray())));
    }

    /** Creates a person as {@code caller} (for rights checks). */
    User person2(Caller caller) {
        return userService.create(
                caller,
                new NewUser("zed", "Z", "Z", Optional.empty(), UserKind.PERSON, Optional.of(PASSWORD.toCharArray())));
    }

    LoginResult login(String username, String password) {
        return auth.login(LoginRequest.password(username, password.toCharArray(), null), CLIENT);
    }

    LoginResult login(String username, String password, ClientInfo client) {
        return auth.login(LoginRequest.password(username, password.toCharArray(), null), client);
    }

    Optional<Identity> bearer(String token) {
        return authenticator.authenticate("Bearer " + token, null);
    }

    static KaryoException failure(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e;
        }
        throw new AssertionError("expected a KaryoException");
    }

    static RuntimeException failure2(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }

    static Kind kind(Runnable r) {
        return failure(r).kind();
    }

    @Override
    public void close() {
        db.close();
    }

    /** Where every fixture's clock starts. */
    /** Where the fixture's clock starts. */
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /** A second factor: enrolled users accept the code 123456. */
    static final class FakeSecondFactor implements SecondFactor {
        final Set<String> enrolled = ConcurrentHashMap.newKeySet();
        final Set<String> required = ConcurrentHashMap.newKeySet();

        @Override
        public boolean enrolled(String userId) {
            return enrolled.contains(userId);
        }

        @Override
        public void verify(String userId, String code) {
            if (!enrolled.contains(userId) || !"123456".equals(code)) {
                throw new KaryoException(Kind.UNAUTHENTICATED, "mfa-invalid", "The code is wrong", null, null, null);
            }
        }

        @Override
        public boolean required(String userId) {
            return required.contains(userId);
        }
    }

    /** API tokens: {@code kyt_good} is the service account {@code svc-1}. */
    static final class FakeApiTokens implements ApiTokenAuthenticator {
        @Override
        public boolean recognises(String bearer) {
            return bearer.startsWith(PREFIX);
        }

        @Override
        public Identity authenticate(String bearer) {
            if (!"kyt_good".equals(bearer)) {
                throw KaryoException.unauthenticated("The API token is invalid");
            }
            return new Identity(
                    "svc-1",
                    "etl",
                    Identity.Method.API_TOKEN,
                    Optional.empty(),
                    "api-token",
                    Optional.of(Set.of("cohort.read")),
                    true,
                    false,
                    Instant.parse("2030-01-01T00:00:00Z"));
        }
    }
}
