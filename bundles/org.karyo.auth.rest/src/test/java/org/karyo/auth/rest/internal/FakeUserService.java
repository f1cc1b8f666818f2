package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserCheck;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;

/**
 * A user store in memory that, like the real one, keeps a password hash next to each user: the REST layer must never
 * let it (or any password field) reach a response.
 */
final class FakeUserService implements UserService {
    static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    static final Instant LAST_LOGIN = Instant.parse("2026-02-03T04:05:06Z");
    /** What the fake stores for every password: it must never appear in a response. */
    static final String HASH_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$FAKEHASH";

    private record Row(User user, String passwordHash) {}

    private final Map<String, Row> rows = new LinkedHashMap<>();

    // what the last calls received
    Caller lastCaller;
    UserQuery lastQuery;
    PageRequest lastPage;
    NewUser lastNew;
    String lastNewPassword;
    UserPatch lastPatch;
    String lastPatchPassword;

    static User user(String id, String username, UserKind kind) {
        return new User(
                id,
                username,
                "Ada",
                "Lovelace",
                Optional.of(username + "@example.org"),
                kind,
                true,
                "local",
                false,
                CREATED,
                Optional.of(LAST_LOGIN));
    }

    FakeUserService add(User u) {
        rows.put(u.username(), new Row(u, HASH_PREFIX + u.id()));
        return this;
    }

    @Override
    public Page<User> list(Caller caller, UserQuery query, PageRequest page) {
        lastCaller = caller;
        lastQuery = query;
        lastPage = page;
        List<User> all = rows.values().stream().map(Row::user).toList();
        return new Page<>(all.size(), page.limit(), page.offset(), all);
    }

    @Override
    public User get(Caller caller, String username) {
        lastCaller = caller;
        return find(username).orElseThrow(() -> KaryoException.notFound("user", username));
    }

    @Override
    public User create(Caller caller, NewUser n) {
        lastCaller = caller;
        lastNew = n;
        lastNewPassword = n.password().map(String::new).orElse(null);
        if (rows.containsKey(n.username())) {
            throw KaryoException.conflict("user " + n.username() + " already exists");
        }
        User u = new User(
                "id-" + n.username(),
                n.username(),
                n.firstname(),
                n.lastname(),
                n.email(),
                n.kind(),
                true,
                "local",
                false,
                CREATED,
                Optional.empty());
        rows.put(u.username(), new Row(u, HASH_PREFIX + new String(n.password().orElse(new char[0]))));
        return u;
    }

    @Override
    public User update(Caller caller, String username, UserPatch patch) {
        lastCaller = caller;
        lastPatch = patch;
        lastPatchPassword = patch.password().map(String::new).orElse(null);
        User u = get(caller, username);
        User changed = new User(
                u.id(),
                u.username(),
                patch.firstname().orElse(u.firstname()),
                patch.lastname().orElse(u.lastname()),
                patch.email().orElse(u.email()),
                u.kind(),
                patch.active().orElse(u.active()),
                u.source(),
                u.mfaEnrolled(),
                u.createdAt(),
                u.lastLogin());
        rows.put(username, new Row(changed, rows.get(username).passwordHash()));
        return changed;
    }

    @Override
    public UserCheck check(Caller caller, String username) {
        lastCaller = caller;
        if (rows.containsKey(username)) {
            User u = rows.get(username).user();
            return new UserCheck(
                    username,
                    true,
                    true,
                    Optional.empty(),
                    Optional.of(u.firstname()),
                    Optional.of(u.lastname()),
                    u.email());
        }
        if (username.startsWith("ldap-")) {
            return new UserCheck(
                    username,
                    true,
                    false,
                    Optional.of("ldap"),
                    Optional.of("Grace"),
                    Optional.of("Hopper"),
                    Optional.empty());
        }
        return new UserCheck(
                username, false, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(rows.get(username)).map(Row::user);
    }

    @Override
    public Optional<User> byId(String id) {
        return rows.values().stream()
                .map(Row::user)
                .filter(u -> u.id().equals(id))
                .findFirst();
    }

    /** The stored hashes, to check that none leaks. */
    List<String> hashes() {
        return new ArrayList<>(rows.values().stream().map(Row::passwordHash).toList());
    }
}
