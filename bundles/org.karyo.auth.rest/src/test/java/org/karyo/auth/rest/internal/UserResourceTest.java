package org.karyo.auth.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserQuery;

class UserResourceTest {

    private final FakeUserService users = new FakeUserService()
            .add(FakeUserService.user("u-1", "ada", UserKind.PERSON))
            .add(FakeUserService.user("u-2", "etl", UserKind.SERVICE));
    private final FakeMfaService mfa = new FakeMfaService();
    private final UserResource resource = new UserResource(users, mfa);
    private final TestCaller admin = TestCaller.of("u-9", "accesses.manage_users");
    private final SecurityContext security = Contexts.security(admin);

    private static KaryoException failure(Runnable call, Kind kind) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        return e;
    }

    @Test
    void listWithoutParametersAsksForTheFirstTwentyByUsername() {
        Page<UserJson> page = resource.list(null, null, null, null, null, null, null, null, security);
        assertThat(users.lastQuery).isEqualTo(UserQuery.ALL);
        assertThat(users.lastPage).isEqualTo(new PageRequest(20, 0, List.of(new Sort("username", false))));
        assertThat(users.lastCaller).isSameAs(admin);
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.results()).extracting(UserJson::username).containsExactly("ada", "etl");
        assertThat(page.results()).extracting(UserJson::kind).containsExactly("person", "service");
    }

    @Test
    void listPassesFiltersPagingAndOrdering() {
        resource.list(" love ", "service", "FALSE", "true", null, "5", "10", "-last_login,lastname", security);
        assertThat(users.lastQuery)
                .isEqualTo(new UserQuery(Optional.of("love"), Optional.of(UserKind.SERVICE), Optional.of(false), true));
        assertThat(users.lastPage)
                .isEqualTo(new PageRequest(5, 10, List.of(new Sort("last_login", true), new Sort("lastname", false))));
    }

    /** Issue 10 §3: {@code with_access=true} was ignored (every user listed). */
    @Test
    void withAccessKeepsTheAccessHoldersOnly() {
        resource.list(null, null, null, null, "true", null, null, null, security);
        assertThat(users.lastQuery.ids()).contains(Set.of()); // no access module: nobody holds an access
        resource.setAccessHolders(() -> Set.of("u-1"));
        resource.list(null, null, null, null, "true", null, null, null, security);
        assertThat(users.lastQuery.ids()).contains(Set.of("u-1"));
        resource.list(null, null, null, null, "false", null, null, null, security);
        assertThat(users.lastQuery.ids()).isEmpty();
    }

    @Test
    void listReportsEveryBadParameterAtOnceAndCallsNothing() {
        KaryoException e = failure(
                () -> resource.list("x".repeat(201), "PERSON", "yes", "1", "maybe", "0", null, "password", security),
                Kind.INVALID);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "search", "kind", "is_active", "manual_only", "with_access", "limit", "ordering");
        assertThat(users.lastQuery).isNull();
    }

    @Test
    void getAnswersTheUserAndAbsurdNamesAreNotFoundWithoutTheService() {
        assertThat(resource.get("ada", security).id()).isEqualTo("u-1");
        assertThat(failure(() -> resource.get("nobody", security), Kind.NOT_FOUND)
                        .getMessage())
                .isEqualTo("user nobody does not exist");
        users.lastCaller = null;
        for (String bad : List.of("", "  ", "x".repeat(255))) {
            KaryoException e = failure(() -> resource.get(bad, security), Kind.NOT_FOUND);
            assertThat(e.getMessage()).hasSizeLessThan(60);
        }
        assertThat(users.lastCaller).isNull();
    }

    @Test
    void createAnswers201WithAnEncodedLocationAndWipesThePassword() {
        Response r = resource.create(
                new NewUserBody("grace h/1", " Grace ", "Hopper", "grace@example.org", null, "Tr0ub4dor&3"),
                Contexts.uri("http://localhost:8181/api/users"),
                security);

        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/users/grace%20h%2F1"));
        UserJson body = (UserJson) r.getEntity();
        assertThat(body.username()).isEqualTo("grace h/1");
        assertThat(body.kind()).isEqualTo("person");
        NewUser sent = users.lastNew;
        assertThat(sent.firstname()).isEqualTo("Grace");
        assertThat(sent.email()).contains("grace@example.org");
        assertThat(sent.kind()).isEqualTo(UserKind.PERSON);
        assertThat(users.lastNewPassword).isEqualTo("Tr0ub4dor&3");
        assertThat(sent.password().orElseThrow()).containsOnly('\0');
    }

    @Test
    void aServiceAccountWithoutPasswordOrEmail() {
        resource.create(
                new NewUserBody("executor", "Query", "Executor", "", "service", null),
                Contexts.uri("http://h/api/users"),
                security);
        assertThat(users.lastNew.kind()).isEqualTo(UserKind.SERVICE);
        assertThat(users.lastNew.email()).isEmpty();
        assertThat(users.lastNew.password()).isEmpty();
    }

    @Test
    void createNamesEveryMissingOrBadField() {
        KaryoException e = failure(
                () -> resource.create(new NewUserBody(null, " ", null, null, "robot", ""), null, security),
                Kind.INVALID);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactly("username", "firstname", "lastname", "kind", "password");
        assertThat(users.lastNew).isNull();
    }

    @Test
    void patchTellsAbsentFromNullAndWipesTheNewPassword() {
        UserPatchBody body = new UserPatchBody();
        body.setEmail(null);
        body.setIsActive(false);
        body.setPassword("n3w-Passw0rd!");
        UserJson changed = resource.update("ada", body, security);

        assertThat(users.lastPatch.email()).contains(Optional.empty());
        assertThat(users.lastPatch.active()).contains(false);
        assertThat(users.lastPatch.firstname()).isEmpty();
        assertThat(users.lastPatch.lastname()).isEmpty();
        assertThat(users.lastPatchPassword).isEqualTo("n3w-Passw0rd!");
        assertThat(users.lastPatch.password().orElseThrow()).containsOnly('\0');
        assertThat(changed.email()).isNull();
        assertThat(changed.isActive()).isFalse();

        UserPatchBody rename = new UserPatchBody();
        rename.setFirstname("Augusta");
        rename.setEmail("ada@lovelace.org");
        resource.update("ada", rename, security);
        assertThat(users.lastPatch.firstname()).contains("Augusta");
        assertThat(users.lastPatch.email()).contains(Optional.of("ada@lovelace.org"));
        assertThat(users.lastPatch.active()).isEmpty();
        assertThat(users.lastPatch.password()).isEmpty();
    }

    @Test
    void patchRefusesNullForEverythingButTheEmail() {
        UserPatchBody body = new UserPatchBody();
        body.setFirstname(null);
        body.setLastname(" ");
        body.setIsActive(null);
        body.setPassword(null);
        users.lastPatch = null;
        KaryoException e = failure(() -> resource.update("ada", body, security), Kind.INVALID);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactly("firstname", "lastname", "is_active", "password");
        assertThat(users.lastPatch).isNull();
        assertThat(body.toString()).doesNotContain("null");
        assertThat(body.getPassword()).isNull();
    }

    @Test
    void checkSaysWhereAUsernameIsKnown() {
        assertThat(resource.check("ada", security))
                .isEqualTo(new UserCheckJson("ada", true, true, null, "Ada", "Lovelace", "ada@example.org"));
        assertThat(resource.check("ldap-grace", security))
                .isEqualTo(new UserCheckJson("ldap-grace", true, false, "ldap", "Grace", "Hopper", null));
        assertThat(resource.check("nobody", security))
                .isEqualTo(new UserCheckJson("nobody", false, false, null, null, null, null));
    }

    @Test
    void resetMfaAnswers204() {
        Response r = resource.resetMfa("ada", security);
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(mfa.lastReset).isEqualTo("ada");
        assertThat(mfa.lastCaller).isSameAs(admin);
    }
}
