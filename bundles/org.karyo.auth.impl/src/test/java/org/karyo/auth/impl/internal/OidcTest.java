package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.auth.api.ExternalIdentity;
import org.karyo.auth.api.ExternalUser;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.IdentityProvider;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;

class OidcTest {
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
    void aCodeOfAKnownUserLogsIn() {
        User alice = f.person("alice");
        FakeIdp idp = register(new FakeIdp("keycloak", false));
        LoginResult r = f.auth.login(oidc("keycloak", "code-alice"), Fixture.CLIENT);
        assertThat(r.user().id()).isEqualTo(alice.id());
        assertThat(f.bearer(r.accessToken()).orElseThrow().method()).isEqualTo(Identity.Method.TOKEN);
        assertThat(f.audit.last().event().details())
                .containsEntry("method", "oidc")
                .containsEntry("via", "oidc:keycloak");
        assertThat(idp.lastVerifier).isEqualTo("verifier");
    }

    @Test
    void unknownUsersAreRefusedWithoutAutoProvisioning() {
        register(new FakeIdp("keycloak", false));
        KaryoException e = Fixture.failure(() -> f.auth.login(oidc("keycloak", "code-zoe"), Fixture.CLIENT));
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.users.byUsername("zoe")).isEmpty();
        assertThat(f.audit.last().event().details()).containsEntry("reason", "unknown-user");
        assertThat(Fixture.kind(() -> f.auth.login(oidc("keycloak", "bad-code"), Fixture.CLIENT)))
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "oidc-exchange");
    }

    @Test
    void autoProvisioningCreatesAnActivePersonWithoutAccess() {
        register(new FakeIdp("keycloak", true));
        LoginResult r = f.auth.login(oidc("keycloak", "code-zoe"), Fixture.CLIENT);
        UserRow zoe = f.users.byUsername("zoe").orElseThrow();
        assertThat(r.user().id()).isEqualTo(zoe.id());
        assertThat(zoe.kind()).isEqualTo(UserKind.PERSON);
        assertThat(zoe.active()).isTrue();
        assertThat(zoe.source()).isEqualTo("oidc:keycloak");
        assertThat(zoe.passwordHash()).isNull();
        assertThat(zoe.firstname()).isEqualTo("Zoe");
        assertThat(zoe.email()).isEqualTo("zoe@example.org");
        assertThat(f.audit.actions()).containsExactly("auth.user.create", "auth.login.success");
        assertThat(f.audit.entries().get(0).event().details()).containsEntry("source", "oidc:keycloak");
        // a second login finds the user
        f.auth.login(oidc("keycloak", "code-zoe"), Fixture.CLIENT);
        assertThat(f.audit.actions()).containsExactly("auth.user.create", "auth.login.success", "auth.login.success");
    }

    @Test
    void disabledUsersCannotLogInThroughAProvider() {
        f.person("alice");
        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false), Optional.empty()));
        register(new FakeIdp("keycloak", true));
        assertThat(Fixture.kind(() -> f.auth.login(oidc("keycloak", "code-alice"), Fixture.CLIENT)))
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "disabled");
    }

    @Test
    void anUnknownProviderIsInvalid() {
        KaryoException e = Fixture.failure(() -> f.auth.login(oidc("nope", "code-alice"), Fixture.CLIENT));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("provider");
    }

    @Test
    void bearerTokensOfAProviderAreAcceptedForKnownActiveUsers() {
        User alice = f.person("alice");
        FakeIdp idp = new FakeIdp("keycloak", false);
        f.authenticator.addIdentityProvider(idp, Map.of());
        Identity id = f.bearer("idp-token-alice").orElseThrow();
        assertThat(id.method()).isEqualTo(Identity.Method.OIDC);
        assertThat(id.userId()).isEqualTo(alice.id());
        assertThat(id.sessionId()).isEmpty();
        assertThat(id.clientId()).isEqualTo("keycloak");
        assertThat(f.authenticator
                        .authenticate("Bearer idp-token-alice", "OIDC")
                        .orElseThrow()
                        .userId())
                .isEqualTo(alice.id());

        assertThat(Fixture.kind(() -> f.bearer("idp-token-zoe"))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(Fixture.kind(() -> f.bearer("idp-token-invalid"))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(Fixture.kind(() -> f.bearer("someone-elses-token"))).isEqualTo(Kind.UNAUTHENTICATED);

        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false), Optional.empty()));
        assertThat(Fixture.kind(() -> f.bearer("idp-token-alice"))).isEqualTo(Kind.UNAUTHENTICATED);
        f.authenticator.removeIdentityProvider(idp);
    }

    @Test
    void bearerTokensProvisionUsersWhenTheProviderAllowsIt() {
        f.authenticator.addIdentityProvider(new FakeIdp("keycloak", true), Map.of());
        Identity id = f.bearer("idp-token-zoe").orElseThrow();
        assertThat(f.users.byUsername("zoe").orElseThrow().id()).isEqualTo(id.userId());
        assertThat(f.audit.last().event().action()).isEqualTo("auth.user.create");
    }

    private FakeIdp register(FakeIdp idp) {
        f.auth.addIdentityProvider(idp);
        return idp;
    }

    private static LoginRequest oidc(String provider, String code) {
        return new LoginRequest(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(provider),
                Optional.of(code),
                Optional.of("https://app.example.org/callback"),
                Optional.of("verifier"));
    }

    /** Codes {@code code-<user>} and bearer tokens {@code idp-token-<user>} prove {@code <user>}. */
    static final class FakeIdp implements IdentityProvider {
        private final String name;
        private final boolean autoProvision;
        String lastVerifier;

        FakeIdp(String name, boolean autoProvision) {
            this.name = name;
            this.autoProvision = autoProvision;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean autoProvision() {
            return autoProvision;
        }

        @Override
        public ExternalIdentity exchange(String authCode, String redirectUri, String codeVerifier) {
            lastVerifier = codeVerifier;
            if (!authCode.startsWith("code-")) {
                throw KaryoException.unauthenticated("exchange failed");
            }
            return identity(authCode.substring(5));
        }

        @Override
        public Optional<ExternalIdentity> verifyBearer(String token) {
            if (!token.startsWith("idp-token-")) {
                return Optional.empty();
            }
            String user = token.substring(10);
            if (user.equals("invalid")) {
                throw KaryoException.unauthenticated("bad signature");
            }
            return Optional.of(identity(user));
        }

        private ExternalIdentity identity(String username) {
            return new ExternalIdentity(
                    name,
                    "sub-" + username,
                    new ExternalUser(
                            username,
                            Optional.of(Character.toUpperCase(username.charAt(0)) + username.substring(1)),
                            Optional.of("Doe"),
                            Optional.of(username + "@example.org")),
                    Instant.parse("2030-01-01T00:00:00Z"));
        }
    }
}
