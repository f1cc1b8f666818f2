package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.auth.api.AuthenticationProvider;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.testing.RecordingAuditTrail;

class LoginTest {
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
    void aGoodPasswordGivesTokensUpdatesLastLoginAndIsAudited() {
        User alice = f.person("alice");
        LoginResult first = f.login("alice", Fixture.PASSWORD);
        assertThat(first.user().id()).isEqualTo(alice.id());
        assertThat(first.lastLogin()).isEmpty();
        assertThat(first.accessToken()).isNotBlank();
        assertThat(first.refreshToken()).hasSize(43);
        assertThat(first.accessTokenExpiresAt()).isEqualTo(f.clock.instant().plusSeconds(900));
        assertThat(first.mfaEnrolmentRequired()).isFalse();
        RecordingAuditTrail.Entry e = f.audit.last();
        assertThat(e.event().action()).isEqualTo("auth.login.success");
        assertThat(e.event().objectId()).isEqualTo(alice.id());
        assertThat(e.actorId()).isEqualTo(alice.id());
        assertThat(e.inUnitOfWork()).isTrue();
        assertThat(e.event().details()).containsEntry("method", "password").containsEntry("via", "local");

        Identity id = f.bearer(first.accessToken()).orElseThrow();
        assertThat(id.userId()).isEqualTo(alice.id());
        assertThat(id.username()).isEqualTo("alice");
        assertThat(id.method()).isEqualTo(Identity.Method.TOKEN);
        assertThat(id.sessionId()).contains(e.event().details().get("sid"));
        assertThat(id.clientId()).isEqualTo("karyo-web");

        f.clock.advance(Duration.ofHours(1));
        LoginResult second = f.login("alice", Fixture.PASSWORD);
        assertThat(second.lastLogin()).contains(Fixture.START);
        assertThat(f.users.byId(alice.id()).orElseThrow().lastLogin()).isEqualTo(f.clock.instant());
    }

    @Test
    void everyFailureIsTheSame401AndAuditedWithAReason() {
        User alice = f.person("alice");
        f.userService.create(f.admin, new NewUser("etl", "", "", Optional.empty(), UserKind.SERVICE, Optional.empty()));
        User bob = f.person("bob");
        f.userService.update(
                f.admin,
                "bob",
                new UserPatch(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false), Optional.empty()));
        f.audit.clear();

        KaryoException wrong = Fixture.failure(() -> f.login("alice", "Wrong-Horse-42!"));
        KaryoException unknown = Fixture.failure(() -> f.login("nobody", Fixture.PASSWORD));
        KaryoException disabled = Fixture.failure(() -> f.login("bob", Fixture.PASSWORD));
        KaryoException service = Fixture.failure(() -> f.login("etl", Fixture.PASSWORD));
        for (KaryoException e : List.of(wrong, unknown, disabled, service)) {
            assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
            assertThat(e.getMessage()).isEqualTo(wrong.getMessage());
            assertThat(e.type()).isEqualTo("unauthenticated");
        }
        List<AuditEvent> events =
                f.audit.entries().stream().map(RecordingAuditTrail.Entry::event).toList();
        assertThat(events).extracting(AuditEvent::action).containsOnly("auth.login.failure");
        assertThat(events).extracting(AuditEvent::outcome).containsOnly(AuditEvent.Outcome.FAILURE);
        assertThat(events)
                .extracting(ev -> ev.details().get("reason"))
                .containsExactly("bad-password", "unknown-user", "disabled", "not-a-person");
        assertThat(events.get(0).objectId()).isEqualTo(alice.id());
        assertThat(events.get(1).objectId()).isNull();
        assertThat(events.get(1).objectType()).isNull();
        assertThat(events.get(2).objectId()).isEqualTo(bob.id());
        assertThat(events).allSatisfy(ev -> assertThat(ev.details().values()).noneMatch(v -> v.contains("nobody")));
        assertThat(f.audit.entries()).allSatisfy(en -> assertThat(en.actorId()).isEqualTo("anonymous"));
    }

    @Test
    void aUserBacksOffAfterFiveFailuresEvenWithTheRightPassword() {
        f.person("alice");
        for (int i = 0; i < 5; i++) {
            assertThat(Fixture.kind(() -> f.login("alice", "Wrong-Horse-42!"))).isEqualTo(Kind.UNAUTHENTICATED);
        }
        assertThat(f.login("alice", Fixture.PASSWORD).accessToken()).isNotBlank();
        for (int i = 0; i < 6; i++) {
            Fixture.failure(() -> f.login("alice", "Wrong-Horse-42!"));
        }
        KaryoException blocked = Fixture.failure(() -> f.login("alice", Fixture.PASSWORD));
        assertThat(blocked.kind()).isEqualTo(Kind.TOO_MANY_REQUESTS);
        assertThat(blocked.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(f.audit.last().event().details()).containsEntry("reason", "backoff");
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(f.login("alice", Fixture.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void unknownUsernamesBackOffToo() {
        for (int i = 0; i < 6; i++) {
            Fixture.failure(() -> f.login("ghost", Fixture.PASSWORD));
        }
        assertThat(Fixture.kind(() -> f.login("ghost", Fixture.PASSWORD))).isEqualTo(Kind.TOO_MANY_REQUESTS);
    }

    @Test
    void aClientAddressBacksOffAfterTwentyFailuresWhateverTheUser() {
        f.person("alice");
        ClientInfo other = new ClientInfo("198.51.100.7", null);
        for (int i = 0; i < 21; i++) {
            String user = "user" + i;
            Fixture.failure(() -> f.login(user, "Wrong-Horse-42!"));
        }
        assertThat(Fixture.kind(() -> f.login("alice", Fixture.PASSWORD))).isEqualTo(Kind.TOO_MANY_REQUESTS);
        LoginResult fromElsewhere = f.login("alice", Fixture.PASSWORD, other);
        assertThat(f.bearer(fromElsewhere.accessToken()).orElseThrow().clientId())
                .isEqualTo("karyo");
    }

    @Test
    void providersAreAskedInRankingOrderBeforeTheLocalPassword() {
        f.person("alice");
        List<String> asked = new ArrayList<>();
        AuthenticationProvider accepts = provider("ldap", AuthenticationProvider.Verdict.ACCEPTED, asked);
        AuthenticationProvider rejects = provider("strict", AuthenticationProvider.Verdict.REJECTED, asked);
        AuthenticationProvider abstains = provider("other", AuthenticationProvider.Verdict.ABSTAIN, asked);

        f.auth.addProvider(accepts, Map.of("service.ranking", 10, "service.id", 1L));
        LoginResult viaLdap = f.login("alice", "the-ldap-password");
        assertThat(viaLdap.accessToken()).isNotBlank();
        assertThat(f.audit.last().event().details()).containsEntry("via", "provider:ldap");

        f.auth.addProvider(rejects, Map.of("service.ranking", 20, "service.id", 2L));
        asked.clear();
        KaryoException refused = Fixture.failure(() -> f.login("alice", Fixture.PASSWORD));
        assertThat(refused.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(asked).containsExactly("strict");
        assertThat(f.audit.last().event().details())
                .containsEntry("reason", "bad-password")
                .containsEntry("via", "provider:strict");

        f.auth.removeProvider(rejects);
        f.auth.addProvider(abstains, Map.of("service.ranking", 30, "service.id", 3L));
        asked.clear();
        f.login("alice", "anything");
        assertThat(asked).containsExactly("other", "ldap");

        f.auth.removeProvider(accepts);
        asked.clear();
        assertThat(Fixture.kind(() -> f.login("alice", "anything"))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.login("alice", Fixture.PASSWORD).accessToken()).isNotBlank();
        assertThat(asked).containsExactly("other", "other");
    }

    @Test
    void aFailingProviderCountsAsAbstainingAndPersonsWithoutPasswordNeedAProvider() {
        f.userService.create(
                f.admin, new NewUser("carol", "C", "C", Optional.empty(), UserKind.PERSON, Optional.empty()));
        AuthenticationProvider broken = new AuthenticationProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Verdict authenticate(String username, char[] password) {
                throw new IllegalStateException("directory down");
            }
        };
        f.auth.addProvider(broken, Map.of("service.ranking", 5));
        assertThat(Fixture.kind(() -> f.login("carol", Fixture.PASSWORD))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "no-password");
        f.auth.addProvider(provider("ldap", AuthenticationProvider.Verdict.ACCEPTED, new ArrayList<>()), Map.of());
        assertThat(f.login("carol", "whatever").accessToken()).isNotBlank();
    }

    @Test
    void anEnrolledSecondFactorIsRequiredAndChecked() {
        User alice = f.person("alice");
        f.secondFactor.enrolled.add(alice.id());
        KaryoException missing = Fixture.failure(() -> f.login("alice", Fixture.PASSWORD));
        assertThat(missing.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(missing.type()).isEqualTo("mfa-required");
        assertThat(f.audit.last().event().details()).containsEntry("reason", "mfa-required");

        KaryoException wrongCode = Fixture.failure(() ->
                f.auth.login(LoginRequest.password("alice", Fixture.PASSWORD.toCharArray(), "000000"), Fixture.CLIENT));
        assertThat(wrongCode.type()).isEqualTo("mfa-invalid");
        assertThat(f.audit.last().event().details()).containsEntry("reason", "mfa");

        KaryoException wrongPassword = Fixture.failure(() -> f.auth.login(
                LoginRequest.password("alice", "Wrong-Horse-42!".toCharArray(), "123456"), Fixture.CLIENT));
        assertThat(wrongPassword.type()).isEqualTo("unauthenticated");

        LoginResult ok =
                f.auth.login(LoginRequest.password("alice", Fixture.PASSWORD.toCharArray(), "123456"), Fixture.CLIENT);
        assertThat(ok.user().mfaEnrolled()).isTrue();
        assertThat(ok.mfaEnrolmentRequired()).isFalse();
        assertThat(f.audit.last().event().details()).containsEntry("mfa", "true");
    }

    @Test
    void aRequiredButMissingSecondFactorGivesEnrolmentOnlyTokens() {
        User alice = f.person("alice");
        f.secondFactor.required.add(alice.id());
        LoginResult r = f.login("alice", Fixture.PASSWORD);
        assertThat(r.mfaEnrolmentRequired()).isTrue();
        assertThat(f.bearer(r.accessToken()).orElseThrow().mfaEnrolmentPending())
                .isTrue();
        assertThat(f.audit.last().event().details()).containsEntry("scope", "mfa_enrolment");

        f.secondFactor.enrolled.add(alice.id());
        f.clock.advance(Duration.ofMinutes(1));
        var pair = f.auth.refresh(r.refreshToken(), Fixture.CLIENT);
        assertThat(f.bearer(pair.accessToken()).orElseThrow().mfaEnrolmentPending())
                .isFalse();
    }

    @Test
    void aChangedArgon2ConfigurationRehashesAtTheNextLogin() {
        User alice = f.person("alice");
        String before = f.users.byId(alice.id()).orElseThrow().passwordHash();
        assertThat(before).contains("m=8192,t=1,p=1");
        try (Fixture g = new Fixture(Map.of("argon2.memory.kib", "9216", "argon2.iterations", "2"))) {
            // the same user table content in another fixture: copy the row's hash by creating the user there
            g.person("alice");
            g.db.unitOfWork().run(() -> {
                try (var ps = g.db.unitOfWork()
                        .connection()
                        .prepareStatement("update karyo_auth.users set password_hash = ? where username = 'alice'")) {
                    ps.setString(1, before);
                    ps.executeUpdate();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            g.login("alice", Fixture.PASSWORD);
            String after = g.users.byUsername("alice").orElseThrow().passwordHash();
            assertThat(after).contains("m=9216,t=2,p=1").isNotEqualTo(before);
            assertThat(g.audit.last().event().details()).containsEntry("rehashed", "true");
            assertThat(g.login("alice", Fixture.PASSWORD).accessToken()).isNotBlank();
        }
    }

    @Test
    void incompleteOrMixedBodiesAreInvalidNamingTheFields() {
        KaryoException empty = Fixture.failure(() -> f.auth.login(
                new LoginRequest(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                Fixture.CLIENT));
        assertThat(empty.kind()).isEqualTo(Kind.INVALID);
        assertThat(empty.errors()).extracting(FieldError::field).containsExactly("username", "password");

        KaryoException noPassword =
                Fixture.failure(() -> f.auth.login(LoginRequest.password("alice", null, null), Fixture.CLIENT));
        assertThat(noPassword.errors()).extracting(FieldError::field).containsExactly("password");

        KaryoException mixed = Fixture.failure(() -> f.auth.login(
                new LoginRequest(
                        Optional.of("alice"),
                        Optional.of("x".toCharArray()),
                        Optional.empty(),
                        Optional.of("keycloak"),
                        Optional.of("code"),
                        Optional.empty(),
                        Optional.empty()),
                Fixture.CLIENT));
        assertThat(mixed.kind()).isEqualTo(Kind.INVALID);
        assertThat(mixed.errors())
                .extracting(FieldError::field)
                .containsExactly("username", "password", "redirect_uri", "code_verifier");

        KaryoException codeWithoutProvider = Fixture.failure(() -> f.auth.login(
                new LoginRequest(
                        Optional.of("alice"),
                        Optional.of("x".toCharArray()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("code"),
                        Optional.empty(),
                        Optional.empty()),
                Fixture.CLIENT));
        assertThat(codeWithoutProvider.errors()).extracting(FieldError::field).containsExactly("auth_code");
    }

    private static AuthenticationProvider provider(
            String name, AuthenticationProvider.Verdict verdict, List<String> asked) {
        return new AuthenticationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Verdict authenticate(String username, char[] password) {
                asked.add(name);
                return verdict;
            }
        };
    }
}
