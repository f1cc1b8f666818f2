package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.AuthenticationProvider;
import org.karyo.auth.api.ExternalUser;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserCheck;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.testing.RecordingAuditTrail;

class UserServiceTest {
    private Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void createsAPersonAndAuditsItWithoutNamesOrEmail() {
        User u = f.userService.create(
                f.admin,
                new NewUser(
                        "alice",
                        "Alice",
                        "Martin",
                        Optional.of("Alice@Example.org"),
                        UserKind.PERSON,
                        Optional.of(Fixture.PASSWORD.toCharArray())));
        assertThat(u.id()).hasSize(36);
        assertThat(u.username()).isEqualTo("alice");
        assertThat(u.email()).contains("Alice@Example.org");
        assertThat(u.source()).isEqualTo("local");
        assertThat(u.active()).isTrue();
        assertThat(u.mfaEnrolled()).isFalse();
        assertThat(u.lastLogin()).isEmpty();
        RecordingAuditTrail.Entry e = f.audit.last();
        assertThat(e.event().action()).isEqualTo("auth.user.create");
        assertThat(e.event().objectType()).isEqualTo("user");
        assertThat(e.event().objectId()).isEqualTo(u.id());
        assertThat(e.event().outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        assertThat(e.actorId()).isEqualTo(f.admin.id());
        assertThat(e.inUnitOfWork()).isTrue();
        assertThat(e.event().details().values()).noneMatch(v -> v.contains("alice") || v.contains("Example"));
        assertThat(f.users.byId(u.id()).orElseThrow().passwordHash()).startsWith("$argon2id$");
    }

    @Test
    void usernameAndEmailFollowTheConfiguredPatterns() {
        KaryoException e = Fixture.failure(() -> f.userService.create(
                f.admin, new NewUser("a b", "A", "B", Optional.of("not-an-email"), UserKind.PERSON, Optional.empty())));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("username", "email");

        try (Fixture strict =
                new Fixture(Map.of("username.pattern", "^[a-z]{3,8}$", "email.pattern", ".+@karyo\\.org$"))) {
            assertThat(Fixture.kind(() -> strict.person("Alice1"))).isEqualTo(Kind.INVALID);
            assertThat(strict.person("alice").username()).isEqualTo("alice");
            KaryoException mail = Fixture.failure(() -> strict.userService.create(
                    strict.admin,
                    new NewUser("bob", "B", "B", Optional.of("bob@example.org"), UserKind.PERSON, Optional.empty())));
            assertThat(mail.errors()).extracting(FieldError::field).containsExactly("email");
        }
    }

    @Test
    void passwordsFollowThePolicyAndServiceAccountsHaveNone() {
        KaryoException weak = Fixture.failure(() -> f.userService.create(
                f.admin,
                new NewUser(
                        "alice",
                        "A",
                        "B",
                        Optional.empty(),
                        UserKind.PERSON,
                        Optional.of("password1234".toCharArray()))));
        assertThat(weak.kind()).isEqualTo(Kind.INVALID);
        assertThat(weak.errors()).extracting(FieldError::field).containsOnly("password");
        KaryoException svc = Fixture.failure(() -> f.userService.create(
                f.admin,
                new NewUser(
                        "etl",
                        "",
                        "",
                        Optional.empty(),
                        UserKind.SERVICE,
                        Optional.of(Fixture.PASSWORD.toCharArray()))));
        assertThat(svc.errors()).extracting(FieldError::field).containsExactly("password");
        User etl = f.userService.create(
                f.admin, new NewUser("etl", "", "", Optional.empty(), UserKind.SERVICE, Optional.empty()));
        assertThat(etl.kind()).isEqualTo(UserKind.SERVICE);
    }

    @Test
    void writesAndReadsNeedManageUsers() {
        User alice = f.person("alice");
        Caller nobody = new Caller() {
            @Override
            public String id() {
                return "u-nobody";
            }

            @Override
            public String getName() {
                return "u-nobody";
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return false;
            }
        };
        assertThat(Fixture.kind(() -> f.person2(nobody))).isEqualTo(Kind.FORBIDDEN);
        assertThat(Fixture.kind(() -> f.userService.update(nobody, "alice", patchActive(false))))
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(Fixture.kind(() -> f.userService.list(nobody, UserQuery.ALL, page())))
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(Fixture.kind(() -> f.userService.get(nobody, "alice"))).isEqualTo(Kind.FORBIDDEN);
        assertThat(Fixture.kind(() -> f.userService.get(Caller.ANONYMOUS, "alice")))
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.userService.byId(alice.id())).isPresent();
        assertThat(f.userService.find("alice")).isPresent();
        assertThat(f.userService.find("nobody")).isEmpty();
        assertThat(f.userService.byId("not-a-uuid")).isEmpty();
    }

    @Test
    void duplicatesConflictAndEmailsAreUniqueCaseInsensitively() {
        f.userService.create(
                f.admin,
                new NewUser("alice", "A", "B", Optional.of("a@example.org"), UserKind.PERSON, Optional.empty()));
        assertThat(Fixture.kind(() -> f.person("alice"))).isEqualTo(Kind.CONFLICT);
        assertThat(Fixture.kind(() -> f.userService.create(
                        f.admin,
                        new NewUser("bob", "B", "B", Optional.of("A@EXAMPLE.ORG"), UserKind.PERSON, Optional.empty()))))
                .isEqualTo(Kind.CONFLICT);
        f.person("bob");
        assertThat(Fixture.kind(() -> f.userService.update(
                        f.admin,
                        "bob",
                        new UserPatch(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(Optional.of("a@Example.org")),
                                Optional.empty(),
                                Optional.empty()))))
                .isEqualTo(Kind.CONFLICT);
    }

    @Test
    void listsWithFiltersPagingAndOrdering() {
        for (String n : List.of("carol", "alice", "bob", "dave")) {
            f.person(n);
        }
        f.userService.create(
                f.admin, new NewUser("etl", "Extract", "Load", Optional.empty(), UserKind.SERVICE, Optional.empty()));
        f.userService.update(f.admin, "dave", patchActive(false));

        Page<User> all = f.userService.list(f.admin, UserQuery.ALL, page());
        assertThat(all.count()).isEqualTo(5);
        assertThat(all.results()).extracting(User::username).containsExactly("alice", "bob", "carol", "dave", "etl");

        Page<User> second =
                f.userService.list(f.admin, UserQuery.ALL, new PageRequest(2, 2, List.of(new Sort("username", true))));
        assertThat(second.count()).isEqualTo(5);
        assertThat(second.results()).extracting(User::username).containsExactly("carol", "bob");

        Page<User> beyond = f.userService.list(f.admin, UserQuery.ALL, new PageRequest(2, 10, List.of()));
        assertThat(beyond.count()).isEqualTo(5);
        assertThat(beyond.results()).isEmpty();

        assertThat(f.userService
                        .list(
                                f.admin,
                                new UserQuery(Optional.of("AR"), Optional.empty(), Optional.empty(), false),
                                page())
                        .results())
                .extracting(User::username)
                .containsExactly("carol");
        assertThat(f.userService
                        .list(
                                f.admin,
                                new UserQuery(Optional.empty(), Optional.of(UserKind.SERVICE), Optional.empty(), false),
                                page())
                        .results())
                .extracting(User::username)
                .containsExactly("etl");
        assertThat(f.userService
                        .list(
                                f.admin,
                                new UserQuery(Optional.empty(), Optional.empty(), Optional.of(false), false),
                                page())
                        .results())
                .extracting(User::username)
                .containsExactly("dave");
        assertThat(f.userService
                        .list(
                                f.admin,
                                new UserQuery(Optional.of("%"), Optional.empty(), Optional.empty(), false),
                                page())
                        .count())
                .isZero();
        // with_access (issue 10 §3): only the given users, counted as such
        String carol = f.userService.find("carol").orElseThrow().id();
        Page<User> holders = f.userService.list(
                f.admin,
                new UserQuery(Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.of(Set.of(carol))),
                page());
        assertThat(holders.results()).extracting(User::username).containsExactly("carol");
        assertThat(holders.count()).isEqualTo(1);
        assertThat(f.userService
                        .list(
                                f.admin,
                                new UserQuery(
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        false,
                                        Optional.of(Set.of())),
                                page())
                        .count())
                .isZero();
        KaryoException bad = Fixture.failure(() -> f.userService.list(
                f.admin, UserQuery.ALL, new PageRequest(10, 0, List.of(new Sort("password_hash", false)))));
        assertThat(bad.errors()).extracting(FieldError::field).containsExactly("ordering");
    }

    @Test
    void updatesNamesEmailPasswordAndActiveWithTheRightAuditAction() {
        User alice = f.person("alice");
        f.audit.clear();
        User renamed = f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.of("Alicia"),
                        Optional.empty(),
                        Optional.of(Optional.of("alicia@example.org")),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(renamed.firstname()).isEqualTo("Alicia");
        assertThat(renamed.email()).contains("alicia@example.org");
        assertThat(f.audit.last().event().action()).isEqualTo("auth.user.update");
        assertThat(f.audit.last().event().details()).containsEntry("fields", "firstname,email");

        User cleared = f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Optional.empty()),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(cleared.email()).isEmpty();

        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("Another-Secret-77".toCharArray())));
        assertThat(f.audit.last().event().details()).containsEntry("fields", "password");
        assertThat(f.login("alice", "Another-Secret-77").accessToken()).isNotBlank();

        User disabled = f.userService.update(f.admin, "alice", patchActive(false));
        assertThat(disabled.active()).isFalse();
        assertThat(f.audit.last().event().action()).isEqualTo("auth.user.disable");
        assertThat(f.audit.last().event().objectId()).isEqualTo(alice.id());
        f.userService.update(f.admin, "alice", patchActive(true));
        assertThat(f.audit.last().event().action()).isEqualTo("auth.user.enable");

        int before = f.audit.entries().size();
        f.userService.update(f.admin, "alice", patchActive(true));
        assertThat(f.audit.entries()).hasSize(before);
        assertThat(Fixture.kind(() -> f.userService.update(f.admin, "nobody", patchActive(false))))
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(Fixture.kind(() -> f.userService.update(
                        f.admin,
                        "alice",
                        new UserPatch(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of("weak".toCharArray())))))
                .isEqualTo(Kind.INVALID);
    }

    @Test
    void checkLooksLocallyThenAsksProvidersInRankingOrder() {
        f.person("alice");
        AuthenticationProvider low = provider(
                "low", Optional.of(new ExternalUser("zoe", Optional.of("Z-low"), Optional.empty(), Optional.empty())));
        AuthenticationProvider high = provider(
                "high",
                Optional.of(new ExternalUser(
                        "zoe", Optional.of("Z-high"), Optional.of("Doe"), Optional.of("z@example.org"))));
        f.userService.addProvider(low, Map.of("service.ranking", 1, "service.id", 1L));
        f.userService.addProvider(high, Map.of("service.ranking", 10, "service.id", 2L));

        UserCheck local = f.userService.check(f.admin, "alice");
        assertThat(local.found()).isTrue();
        assertThat(local.local()).isTrue();
        UserCheck remote = f.userService.check(f.admin, "zoe");
        assertThat(remote.found()).isTrue();
        assertThat(remote.local()).isFalse();
        assertThat(remote.provider()).contains("high");
        assertThat(remote.firstname()).contains("Z-high");
        f.userService.removeProvider(high);
        assertThat(f.userService.check(f.admin, "zoe").provider()).contains("low");
        f.userService.removeProvider(low);
        assertThat(Fixture.kind(() -> f.userService.check(f.admin, "zoe"))).isEqualTo(Kind.NOT_FOUND);
        assertThat(Fixture.kind(() -> f.userService.check(f.admin, "no spaces")))
                .isEqualTo(Kind.INVALID);
    }

    @Test
    void checkOfAnUnknownUserIsNotFound() {
        assertThat(Fixture.kind(() -> f.userService.check(f.admin, "nobody-here")))
                .isEqualTo(Kind.NOT_FOUND);
    }

    private static AuthenticationProvider provider(String name, Optional<ExternalUser> user) {
        return new AuthenticationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Verdict authenticate(String username, char[] password) {
                return Verdict.ABSTAIN;
            }

            @Override
            public Optional<ExternalUser> lookup(String username) {
                return user.filter(u -> u.username().equals(username));
            }
        };
    }

    private static UserPatch patchActive(boolean active) {
        return new UserPatch(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(active), Optional.empty());
    }

    private static PageRequest page() {
        return new PageRequest(20, 0, List.of());
    }
}
