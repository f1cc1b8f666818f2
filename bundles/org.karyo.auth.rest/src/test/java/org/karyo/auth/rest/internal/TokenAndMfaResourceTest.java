package org.karyo.auth.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;

class TokenAndMfaResourceTest {

    private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");

    private final FakeApiTokenService tokens = new FakeApiTokenService();
    private final TokenResource tokenResource = new TokenResource(tokens);
    private final FakeMfaService mfa = new FakeMfaService();
    private final MfaResource mfaResource = new MfaResource(mfa);
    private final TestCaller admin = TestCaller.of("u-9", "accesses.full_admin");
    private final SecurityContext security = Contexts.security(admin);

    private Response create(List<String> rights) {
        return tokenResource.create(
                new NewTokenBody(" etl ", " nightly load ", rights, EXPIRES),
                Contexts.uri("http://localhost:8181/api/auth/tokens"),
                security);
    }

    @Test
    void createAnswers201WithTheSecretOnce() {
        Response r = create(List.of("cohort.read", " cohort.read", "exports.manage"));

        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/auth/tokens/tok-1"));
        IssuedTokenJson issued = (IssuedTokenJson) r.getEntity();
        assertThat(issued.secret()).isEqualTo("kt_ab12cd34ef56-the-secret");
        assertThat(issued.username()).isEqualTo("etl");
        assertThat(issued.name()).isEqualTo("nightly load");
        assertThat(issued.rights()).containsExactly("cohort.read", "exports.manage");
        assertThat(issued.expiresAt()).isEqualTo(EXPIRES);
        assertThat(issued.revokedAt()).isNull();
        assertThat(issued.toString()).doesNotContain("the-secret");
        assertThat(tokens.lastRights).containsExactly("cohort.read", "exports.manage");
        assertThat(tokens.lastCaller).isSameAs(admin);
    }

    @Test
    void theListNeverCarriesSecrets() {
        create(List.of("cohort.read"));
        Page<ApiTokenJson> page = tokenResource.list(" etl ", null, null, security);
        assertThat(tokens.lastListFilter).isEqualTo("etl");
        assertThat(page.count()).isEqualTo(1);
        assertThat(page.results()).extracting(ApiTokenJson::id).containsExactly("tok-1");
        assertThat(Arrays.stream(ApiTokenJson.class.getRecordComponents()).map(c -> c.getName()))
                .doesNotContain("secret");

        tokenResource.list("", null, null, security);
        assertThat(tokens.lastListFilter).isNull();
    }

    /** Issue 10 §3: {@code GET /api/auth/tokens} honours {@code limit} and {@code offset}. */
    @Test
    void theListIsPaged() {
        create(List.of("cohort.read"));
        create(List.of("cohort.read"));
        create(List.of("cohort.read"));
        Page<ApiTokenJson> page = tokenResource.list(null, "2", "1", security);
        assertThat(page.count()).isEqualTo(3);
        assertThat(page.limit()).isEqualTo(2);
        assertThat(page.offset()).isEqualTo(1);
        assertThat(page.results()).extracting(ApiTokenJson::id).containsExactly("tok-2", "tok-3");
        KaryoException e =
                catchThrowableOfType(() -> tokenResource.list(null, "0", "-1", security), KaryoException.class);
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("limit", "offset");
    }

    @Test
    void createNamesEveryMissingField() {
        KaryoException e = catchThrowableOfType(
                () -> tokenResource.create(new NewTokenBody(null, "", null, null), null, security),
                KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactly("username", "name", "rights", "expires_at");

        KaryoException blankRight = catchThrowableOfType(
                () -> tokenResource.create(
                        new NewTokenBody("etl", "n", Arrays.asList("a.b", null, " "), EXPIRES), null, security),
                KaryoException.class);
        assertThat(blankRight.errors()).extracting(FieldError::field).containsExactly("rights[1]", "rights[2]");
        assertThat(tokens.lastRights).isNull();
    }

    @Test
    void revokeAnswers204AndOddIdsAreNotFoundWithoutTheService() {
        create(List.of("cohort.read"));
        assertThat(tokenResource.revoke("tok-1", security).getStatus()).isEqualTo(204);
        assertThat(tokens.lastRevoked).isEqualTo("tok-1");
        tokens.lastRevoked = null;
        for (String bad : List.of("", "a/b", "x".repeat(65), "tok 1")) {
            KaryoException e = catchThrowableOfType(() -> tokenResource.revoke(bad, security), KaryoException.class);
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        }
        assertThat(tokens.lastRevoked).isNull();
    }

    @Test
    void enrolConfirmAndDisableTheCallersOwnSecondFactor() {
        MfaEnrolmentJson e = mfaResource.enrol(security);
        assertThat(e.otpauthUri()).startsWith("otpauth://totp/");
        assertThat(e.secret()).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(e.toString()).doesNotContain("JBSWY3DPEHPK3PXP");

        assertThat(mfaResource.confirm(new CodeBody(" 123456 "), security).recoveryCodes())
                .containsExactly("aaaa-bbbb", "cccc-dddd");
        assertThat(mfa.lastCode).isEqualTo("123456");
        assertThat(mfaResource.disable(new CodeBody("123456"), security).getStatus())
                .isEqualTo(204);
        assertThat(mfa.lastCaller).isSameAs(admin);
        assertThat(new RecoveryCodesJson(List.of("aaaa-bbbb")).toString()).doesNotContain("aaaa-bbbb");
    }

    @Test
    void aMissingCodeIsABadRequest() {
        for (CodeBody body : List.of(new CodeBody(null), new CodeBody(" "))) {
            KaryoException e = catchThrowableOfType(() -> mfaResource.confirm(body, security), KaryoException.class);
            assertThat(e.errors()).containsExactly(new FieldError("code", "is required"));
        }
        assertThat(mfa.lastCode).isNull();
    }
}
