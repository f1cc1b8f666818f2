package org.karyo.accesses.alerts.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessService;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserService;

/** Hand-written fakes of the other modules' services. */
final class Fakes {
    private Fakes() {}

    /** The access module: a list of accesses; {@code endingBetween} answers the valid ones ending in [from, to). */
    static final class Accesses {
        final Map<Long, Access> all = new LinkedHashMap<>();
        final List<Instant[]> calls = Collections.synchronizedList(new ArrayList<>());
        private final MutableClock clock;

        Accesses(MutableClock clock) {
            this.clock = clock;
        }

        Access add(long id, String userId, String role, String perimeter, Instant end) {
            Instant now = clock.instant();
            Access a = new Access(
                    id,
                    id * 10,
                    userId,
                    "user-" + userId,
                    7,
                    role,
                    Optional.of(100 + id),
                    Optional.ofNullable(perimeter),
                    now.minusSeconds(86_400 * 30),
                    end,
                    "manual",
                    true,
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    now,
                    now);
            all.put(id, a);
            return a;
        }

        /** The same access with another end (a renewal). */
        void moveEnd(long id, Instant end) {
            Access a = all.get(id);
            all.put(
                    id,
                    new Access(
                            a.id(),
                            a.profileId(),
                            a.userId(),
                            a.username(),
                            a.roleId(),
                            a.roleName(),
                            a.perimeterId(),
                            a.perimeterName(),
                            a.start(),
                            end,
                            a.source(),
                            a.valid(),
                            a.editable(),
                            a.createdBy(),
                            a.updatedBy(),
                            a.createdAt(),
                            a.updatedAt()));
        }

        AccessService service() {
            return (AccessService) Proxy.newProxyInstance(
                    Fakes.class.getClassLoader(), new Class<?>[] {AccessService.class}, (proxy, method, args) -> {
                        if (method.getName().equals("endingBetween")) {
                            Instant from = (Instant) args[0];
                            Instant to = (Instant) args[1];
                            calls.add(new Instant[] {from, to});
                            Instant now = clock.instant();
                            return all.values().stream()
                                    .filter(a ->
                                            !a.start().isAfter(now) && a.end().isAfter(now))
                                    .filter(a ->
                                            !a.end().isBefore(from) && a.end().isBefore(to))
                                    .toList();
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** The auth module: users by id. */
    static final class Users {
        final Map<String, User> all = new LinkedHashMap<>();
        int lookups;

        User add(String id, String first, String last, String email, boolean active) {
            User u = new User(
                    id,
                    "user-" + id,
                    first,
                    last,
                    Optional.ofNullable(email),
                    UserKind.PERSON,
                    active,
                    "local",
                    false,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Optional.empty());
            all.put(id, u);
            return u;
        }

        UserService service() {
            return (UserService) Proxy.newProxyInstance(
                    Fakes.class.getClassLoader(), new Class<?>[] {UserService.class}, (proxy, method, args) -> {
                        if (method.getName().equals("byId")) {
                            lookups++;
                            return Optional.ofNullable(all.get((String) args[0]));
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
