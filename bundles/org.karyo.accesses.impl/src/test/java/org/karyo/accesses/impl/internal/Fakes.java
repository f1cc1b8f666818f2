package org.karyo.accesses.impl.internal;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.Authenticator;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserCheck;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;

/** Hand-written fakes of the other modules' services, a settable clock and configuration instances. */
final class Fakes {
    private Fakes() {}

    /** A clock that stands still until moved. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Users in memory: only what the access module calls. */
    static final class FakeUserService implements UserService {
        final Map<String, User> byName = new ConcurrentHashMap<>();

        User add(String username) {
            User u = new User(
                    UUID.randomUUID().toString(),
                    username,
                    "First" + username,
                    "Last" + username,
                    Optional.empty(),
                    UserKind.PERSON,
                    true,
                    "local",
                    false,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Optional.empty());
            byName.put(username, u);
            return u;
        }

        void disable(String username) {
            User u = byName.get(username);
            byName.put(
                    username,
                    new User(
                            u.id(),
                            u.username(),
                            u.firstname(),
                            u.lastname(),
                            u.email(),
                            u.kind(),
                            false,
                            u.source(),
                            u.mfaEnrolled(),
                            u.createdAt(),
                            u.lastLogin()));
        }

        @Override
        public Optional<User> find(String username) {
            return Optional.ofNullable(byName.get(username));
        }

        @Override
        public Optional<User> byId(String id) {
            return byName.values().stream().filter(u -> u.id().equals(id)).findFirst();
        }

        @Override
        public Page<User> list(Caller caller, UserQuery query, PageRequest page) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User get(Caller caller, String username) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User create(Caller caller, NewUser user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User update(Caller caller, String username, UserPatch patch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserCheck check(Caller caller, String username) {
            throw new UnsupportedOperationException();
        }
    }

    /** Bearer tokens mapped to identities; {@code "bad"} is refused. */
    static final class FakeAuthenticator implements Authenticator {
        final Map<String, Identity> tokens = new HashMap<>();

        @Override
        public Optional<Identity> authenticate(String authorization, String authorizationMethod) {
            if (authorization == null) {
                return Optional.empty();
            }
            String token = authorization.replaceFirst("^Bearer ", "");
            Identity id = tokens.get(token);
            if (id == null) {
                throw KaryoException.unauthenticated("invalid token");
            }
            return Optional.of(id);
        }
    }

    /** A configuration instance: the annotation's defaults, overridden by {@code values} (keyed by method name). */
    static AccessesSettings.Config config(Map<String, Object> values) {
        return (AccessesSettings.Config) Proxy.newProxyInstance(
                AccessesSettings.Config.class.getClassLoader(),
                new Class<?>[] {AccessesSettings.Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AccessesSettings.Config.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }

    static AccessesSettings settings(Clock clock, Map<String, Object> values) {
        return new AccessesSettings(config(values), EnvOverrides.of(Map.of()), clock);
    }
}
