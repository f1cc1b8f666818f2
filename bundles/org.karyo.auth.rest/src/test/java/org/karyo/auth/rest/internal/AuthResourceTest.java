package org.karyo.auth.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.UserKind;
import org.karyo.rest.support.ClientAddress;
import org.slf4j.MDC;

class AuthResourceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final FakeUserService users = new FakeUserService()
            .add(FakeUserService.user("u-1", "ada", UserKind.PERSON))
            .add(FakeUserService.user("u-9", "root", UserKind.PERSON))
            .add(FakeUserService.user("u-5", "oidc-user", UserKind.PERSON));
    private final FakeAuthService auth = new FakeAuthService(users, NOW.plusSeconds(900));
    private final AuthResource resource = new AuthResource(auth, users, Clock.fixed(NOW, ZoneOffset.UTC));

    private static LoginBody password(String username, String password, String otp) {
        return new LoginBody(username, password, otp, null, null, null, null, null);
    }

    private static KaryoException invalid(Runnable call) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        return e;
    }

    @Test
    void aPasswordLoginAnswersCohort360sFieldsAndWipesThePassword() {
        LoginResponse r = resource.login(password("ada", FakeAuthService.PASSWORD, "654321"));

        assertThat(auth.passwordDuringCall).isEqualTo(FakeAuthService.PASSWORD);
        assertThat(auth.receivedPassword).containsOnly('\0');
        assertThat(auth.lastLogin.username()).contains("ada");
        assertThat(auth.lastLogin.otp()).contains("654321");
        assertThat(auth.lastLogin.provider()).isEmpty();
        assertThat(auth.lastClient).isEqualTo(new ClientInfo("unknown", "karyo-web"));

        assertThat(r.user()).isEqualTo(UserJson.of(users.find("ada").orElseThrow()));
        assertThat(r.user().displayName()).isEqualTo("Ada Lovelace (ada)");
        assertThat(r.lastLogin()).isEqualTo(FakeUserService.LAST_LOGIN);
        assertThat(r.accessToken()).isEqualTo("access-u-1");
        assertThat(r.refreshToken()).isEqualTo("refresh-u-1");
        assertThat(r.tokenType()).isEqualTo("Bearer");
        assertThat(r.expiresIn()).isEqualTo(900);
        assertThat(r.mfaEnrolmentRequired()).isFalse();
    }

    @Test
    void thePasswordIsWipedEvenWhenTheLoginFails() {
        KaryoException e =
                catchThrowableOfType(() -> resource.login(password("ada", "wrong", null)), KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(auth.passwordDuringCall).isEqualTo("wrong");
        assertThat(auth.receivedPassword).containsOnly('\0');
    }

    @Test
    void theMfaEnrolmentFlagAndAClientIdPassThrough() {
        auth.mfaEnrolmentRequired = true;
        LoginResponse r = resource.login(
                new LoginBody("ada", FakeAuthService.PASSWORD, null, null, null, null, null, "cohort360-ui"));
        assertThat(r.mfaEnrolmentRequired()).isTrue();
        assertThat(auth.lastClient).isEqualTo(new ClientInfo("unknown", "cohort360-ui"));
        assertThat(auth.lastLogin.otp()).isEmpty();
    }

    @Test
    void anOidcLoginPassesTheFourFieldsAndNoPassword() {
        LoginResponse r = resource.login(
                new LoginBody(null, null, null, "keycloak", "code-1", "https://app/cb", "verifier-1", null));
        assertThat(auth.lastLogin.provider()).contains("keycloak");
        assertThat(auth.lastLogin.authCode()).contains("code-1");
        assertThat(auth.lastLogin.redirectUri()).contains("https://app/cb");
        assertThat(auth.lastLogin.codeVerifier()).contains("verifier-1");
        assertThat(auth.lastLogin.username()).isEmpty();
        assertThat(auth.lastLogin.password()).isEmpty();
        assertThat(r.user().username()).isEqualTo("oidc-user");
        assertThat(r.lastLogin()).isNull();
    }

    @Test
    void mixingBothFormsIsABadRequestNamingTheMisplacedFields() {
        KaryoException e =
                invalid(() -> resource.login(new LoginBody("ada", "pw", null, "keycloak", "code-1", null, null, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("provider", "auth_code");
        assertThat(e.errors().get(0).message()).contains("cannot be combined with username, password or otp");
        assertThat(auth.lastLogin).isNull();
    }

    @Test
    void missingFieldsAreNamedAllAtOnce() {
        assertThat(invalid(() -> resource.login(password(null, null, null))).errors())
                .containsExactly(new FieldError("username", "is required"), new FieldError("password", "is required"));
        assertThat(invalid(() -> resource.login(password("  ", "", " "))).errors())
                .extracting(FieldError::field)
                .containsExactly("username", "password", "otp");
        assertThat(invalid(() -> resource.login(
                                new LoginBody(null, null, null, "keycloak", null, "https://app/cb", "", null)))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("auth_code", "code_verifier");
        assertThat(invalid(() -> resource.login(
                                new LoginBody("ada", "pw", null, null, null, null, null, "bad client id!")))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("client_id");
        assertThat(auth.lastLogin).isNull();
    }

    @Test
    void theClientAddressIsTheOneThePlatformResolvedForTheRequest() {
        MDC.put(ClientAddress.MDC_KEY, "203.0.113.7");
        try {
            resource.login(password("ada", FakeAuthService.PASSWORD, null));
            assertThat(auth.lastClient.address()).isEqualTo("203.0.113.7");
            resource.refresh(new RefreshBody("refresh-u-1", "cli"));
            assertThat(auth.lastClient).isEqualTo(new ClientInfo("203.0.113.7", "cli"));
        } finally {
            MDC.remove(ClientAddress.MDC_KEY);
        }
        resource.login(password("ada", FakeAuthService.PASSWORD, null));
        assertThat(auth.lastClient.address()).isEqualTo("unknown");
    }

    @Test
    void refreshRotatesAndNeedsTheToken() {
        TokenResponse r = resource.refresh(new RefreshBody("refresh-u-1", null));
        assertThat(r).isEqualTo(new TokenResponse("access-2", "refresh-2", "Bearer", 900));
        assertThat(auth.lastRefreshToken).isEqualTo("refresh-u-1");
        assertThat(auth.lastClient).isEqualTo(new ClientInfo("unknown", "karyo-web"));

        assertThat(invalid(() -> resource.refresh(new RefreshBody(" ", null))).errors())
                .containsExactly(new FieldError("refresh_token", "is required"));
        KaryoException e =
                catchThrowableOfType(() -> resource.refresh(new RefreshBody("stolen", null)), KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void expiresInIsNeverNegative() {
        assertThat(TokenResponse.secondsUntil(NOW.minusSeconds(5), NOW)).isZero();
        assertThat(TokenResponse.secondsUntil(NOW.plusMillis(1500), NOW)).isEqualTo(1);
    }

    @Test
    void logoutEndsTheCallersSessionWithoutABody() throws Exception {
        Caller ada = TestCaller.of("u-1");
        Response r = resource.logout(null, null, null, Contexts.security(ada));
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(auth.lastLogoutCaller).isSameAs(ada);
        assertThat(auth.lastLogoutToken).isEmpty();

        auth.lastLogoutCaller = null;
        resource.logout(
                new ByteArrayInputStream(" \r\n".getBytes(StandardCharsets.UTF_8)), null, null, Contexts.security(ada));
        assertThat(auth.lastLogoutCaller).isSameAs(ada);
        assertThat(auth.lastLogoutToken).isEmpty();
    }

    @Test
    void aLogoutBodyThatIsNotJsonIsRefusedWith415() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getMediaType()).thenReturn(MediaType.TEXT_PLAIN_TYPE);
        assertThatThrownBy(() -> resource.logout(
                        new ByteArrayInputStream("refresh-u-1".getBytes(StandardCharsets.UTF_8)),
                        headers,
                        null,
                        Contexts.security(TestCaller.of("u-1"))))
                .isInstanceOfSatisfying(
                        NotSupportedException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(415));
        assertThat(auth.lastLogoutCaller).isNull();
    }

    @Test
    void theJwkSetIsCacheableJson() {
        Response r = resource.jwks();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(r.getMediaType().toString()).isEqualTo("application/json");
        assertThat(r.getEntity()).isEqualTo(FakeAuthService.JWKS);
    }

    @Test
    void meIsTheCallersUserAndNamesTheImpersonatingAdministrator() {
        MeJson me = resource.me(Contexts.security(TestCaller.of("u-1")));
        assertThat(me.username()).isEqualTo("ada");
        assertThat(me.id()).isEqualTo("u-1");
        assertThat(me.isActive()).isTrue();
        assertThat(me.impersonatedBy()).isNull();

        MeJson acting = resource.me(Contexts.security(TestCaller.of("u-1").impersonatedBy("u-9")));
        assertThat(acting.username()).isEqualTo("ada");
        assertThat(acting.impersonatedBy()).isEqualTo(new UserRef("u-9", "root", "Ada Lovelace (root)"));

        MeJson unknownAdmin = resource.me(Contexts.security(TestCaller.of("u-1").impersonatedBy("u-gone")));
        assertThat(unknownAdmin.impersonatedBy()).isEqualTo(new UserRef("u-gone", null, null));
    }

    @Test
    void meWithoutAUserBehindTheCredentialsIsUnauthenticated() {
        for (Caller c : List.of(Caller.ANONYMOUS, TestCaller.of("u-deleted"))) {
            KaryoException e = catchThrowableOfType(() -> resource.me(Contexts.security(c)), KaryoException.class);
            assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
        }
        assertThat(Optional.ofNullable(auth.lastLogin)).isEmpty();
    }

    @Test
    void bodiesNeverPrintSecrets() {
        assertThat(password("ada", "s3cret-pw", "123456").toString()).doesNotContain("s3cret-pw", "123456");
        assertThat(new RefreshBody("refresh-abc", null).toString()).doesNotContain("refresh-abc");
        assertThat(new LogoutBody("refresh-abc").toString()).doesNotContain("refresh-abc");
        assertThat(new CodeBody("123456").toString()).doesNotContain("123456");
    }
}
