package org.karyo.auth.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.ShellUtil;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService;
import org.karyo.auth.api.MfaService;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;
import org.mockito.ArgumentCaptor;

class AuthCommandsTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final List<Class<?>> COMMANDS = List.of(
            UserAddCommand.class,
            UserListCommand.class,
            UserDisableCommand.class,
            TokenCreateCommand.class,
            TokenRevokeCommand.class,
            TokenListCommand.class,
            MfaResetCommand.class);

    private final UserService users = mock(UserService.class);
    private final ApiTokenService tokens = mock(ApiTokenService.class);
    private final MfaService mfa = mock(MfaService.class);
    private final Session session = mock(Session.class);
    private final Caller admin = mock(Caller.class);
    /** The console users the commands asked to resolve. */
    private final List<String> resolved = new ArrayList<>();

    private final ConsoleIdentity identity = consoleUser -> {
        resolved.add(consoleUser);
        return admin;
    };
    private final ConsoleIdentity unmapped = consoleUser -> {
        throw KaryoException.unauthenticated("Console user karaf is not mapped to a Karyo user");
    };

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static User user(String username, UserKind kind, boolean active) {
        return new User(
                "id-" + username,
                username,
                "Ada",
                "Lovelace",
                Optional.of(username + "@example.org"),
                kind,
                active,
                "local",
                true,
                T,
                Optional.empty());
    }

    private static ApiToken token(String id) {
        return new ApiToken(
                id,
                "etl",
                "nightly",
                Set.of("cohort.read", "accesses.read"),
                "kyt_ab12",
                T,
                T.plusSeconds(86_400),
                Optional.empty(),
                Optional.empty());
    }

    private UserAddCommand userAdd(String username) {
        UserAddCommand cmd = new UserAddCommand();
        cmd.users = users;
        cmd.identity = identity;
        cmd.session = session;
        cmd.username = username;
        return cmd;
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description()).as(f.getName()).isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description()).as(f.getName()).isNotBlank();
                }
            }
        }
        assertThat(COMMANDS)
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly(
                        "user-add",
                        "user-list",
                        "user-disable",
                        "token-create",
                        "token-revoke",
                        "token-list",
                        "mfa-reset");
    }

    @Test
    void noCommandTakesAPasswordOrSecretAsAnArgumentOrOption() {
        for (Class<?> type : COMMANDS) {
            for (Field f : type.getDeclaredFields()) {
                if (f.isAnnotationPresent(Option.class) || f.isAnnotationPresent(Argument.class)) {
                    assertThat(f.getType())
                            .as(type.getSimpleName() + "." + f.getName())
                            .isNotEqualTo(char[].class);
                    if (f.getType() == String.class) {
                        assertThat(f.getName().toLowerCase()).doesNotContain("password", "secret");
                    }
                }
            }
        }
    }

    @Test
    void userAddReadsTheMaskedPasswordTwiceRunsAsTheConsoleIdentityAndWipesThePassword() throws Exception {
        when(session.readLine(anyString(), eq('*'))).thenReturn("Tr0ub4dor&3", "Tr0ub4dor&3");
        List<String> seenPassword = new ArrayList<>();
        when(users.create(any(), any())).thenAnswer(inv -> {
            NewUser n = inv.getArgument(1);
            seenPassword.add(new String(n.password().orElseThrow()));
            return user(n.username(), n.kind(), true);
        });
        UserAddCommand cmd = userAdd("ada");
        cmd.firstname = "Ada";
        cmd.lastname = "Lovelace";
        cmd.email = "ada@example.org";
        cmd.passwordPrompt = true;

        cmd.print(out);

        ArgumentCaptor<NewUser> sent = ArgumentCaptor.forClass(NewUser.class);
        verify(users).create(eq(admin), sent.capture());
        NewUser n = sent.getValue();
        assertThat(n.username()).isEqualTo("ada");
        assertThat(n.firstname()).isEqualTo("Ada");
        assertThat(n.email()).contains("ada@example.org");
        assertThat(n.kind()).isEqualTo(UserKind.PERSON);
        assertThat(seenPassword).containsExactly("Tr0ub4dor&3");
        assertThat(n.password().orElseThrow()).containsOnly('\0');
        assertThat(resolved).containsExactly(ShellUtil.getCurrentUserName());
        assertThat(printed()).contains("Added user ada (id id-ada)").doesNotContain("Tr0ub4dor&3");
    }

    /** Issue 10 §3: a script sets a user's password without a prompt ({@code echo pw | karyo:user-add ...}). */
    @Test
    void userAddReadsThePasswordFromTheFirstLineOfStandardInput() throws Exception {
        List<String> seenPassword = new ArrayList<>();
        when(users.create(any(), any())).thenAnswer(inv -> {
            NewUser n = inv.getArgument(1);
            seenPassword.add(new String(n.password().orElseThrow()));
            return user(n.username(), n.kind(), true);
        });
        UserAddCommand cmd = userAdd("ada");
        cmd.passwordStdin = true;
        java.io.ByteArrayInputStream stdin = new java.io.ByteArrayInputStream(
                "Tr0ub4dor&3 with spaces\r\nkaryo:next-command\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        cmd.print(out, stdin);

        assertThat(seenPassword).containsExactly("Tr0ub4dor&3 with spaces");
        assertThat(new String(stdin.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .as("nothing after the first line is consumed")
                .isEqualTo("karyo:next-command\n");
        assertThat(printed()).contains("Added user ada").doesNotContain("Tr0ub4dor");
        verifyNoInteractions(session);

        UserAddCommand empty = userAdd("bob");
        empty.passwordStdin = true;
        assertThatThrownBy(() -> empty.print(out, new java.io.ByteArrayInputStream(new byte[0])))
                .hasMessageContaining("no password on standard input");
        UserAddCommand both = userAdd("bob");
        both.passwordStdin = true;
        both.passwordPrompt = true;
        assertThatThrownBy(() -> both.print(out, new java.io.ByteArrayInputStream(new byte[0])))
                .hasMessageContaining("give one of them");
    }

    @Test
    void userAddRefusesDifferingOrEmptyPasswords() throws Exception {
        when(session.readLine(anyString(), eq('*'))).thenReturn("one-Passw0rd", "other-Passw0rd");
        UserAddCommand cmd = userAdd("ada");
        cmd.passwordPrompt = true;
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("The two passwords differ");

        when(session.readLine(anyString(), eq('*'))).thenReturn("", "");
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("No password was given");
        verifyNoInteractions(users);
    }

    @Test
    void aServiceAccountHasNoPasswordAndIsNeverPromptedForOne() throws Exception {
        UserAddCommand refused = userAdd("etl");
        refused.service = true;
        refused.passwordPrompt = true;
        assertThatThrownBy(() -> refused.print(out)).hasMessageContaining("a service account has no password");
        verifyNoInteractions(session, users);

        when(users.create(any(), any())).thenReturn(user("etl", UserKind.SERVICE, true));
        UserAddCommand cmd = userAdd("etl");
        cmd.service = true;
        cmd.print(out);
        ArgumentCaptor<NewUser> sent = ArgumentCaptor.forClass(NewUser.class);
        verify(users).create(eq(admin), sent.capture());
        assertThat(sent.getValue().kind()).isEqualTo(UserKind.SERVICE);
        assertThat(sent.getValue().password()).isEmpty();
        assertThat(sent.getValue().email()).isEmpty();
        assertThat(printed()).contains("Added service account etl");
    }

    @Test
    void userAddExplainsTheRefusedFieldsByOption() {
        when(users.create(any(), any()))
                .thenThrow(KaryoException.invalid(List.of(
                        new FieldError("firstname", "is required"),
                        new FieldError("email", "is not a valid e-mail address"),
                        new FieldError("username", "must match ^[a-z0-9._-]{2,64}$"))));
        assertThatThrownBy(() -> userAdd("Bad Name").print(out))
                .hasMessage("--firstname is required; --email is not a valid e-mail address;"
                        + " username must match ^[a-z0-9._-]{2,64}$");
    }

    @Test
    void anUnmappedConsoleUserGetsTheReasonAndChangesNothing() {
        UserAddCommand add = userAdd("ada");
        add.identity = unmapped;
        assertThatThrownBy(() -> add.print(out)).hasMessage("Console user karaf is not mapped to a Karyo user");
        MfaResetCommand reset = new MfaResetCommand();
        reset.mfa = mfa;
        reset.identity = unmapped;
        reset.username = "ada";
        assertThatThrownBy(() -> reset.print(out)).hasMessageContaining("not mapped");
        verifyNoInteractions(users, mfa, session);
    }

    @Test
    void userListShowsActiveUsersByUsernameUnlessAll() {
        when(users.list(any(), any(), any()))
                .thenReturn(new Page<>(12, 50, 0, List.of(user("ada", UserKind.PERSON, true))));
        UserListCommand cmd = new UserListCommand();
        cmd.users = users;
        cmd.identity = identity;
        cmd.search = "love";

        cmd.print(out);

        ArgumentCaptor<UserQuery> query = ArgumentCaptor.forClass(UserQuery.class);
        ArgumentCaptor<PageRequest> page = ArgumentCaptor.forClass(PageRequest.class);
        verify(users).list(eq(admin), query.capture(), page.capture());
        assertThat(query.getValue())
                .isEqualTo(new UserQuery(Optional.of("love"), Optional.empty(), Optional.of(true), false));
        assertThat(page.getValue()).isEqualTo(new PageRequest(50, 0, List.of(new Sort("username", false))));
        assertThat(printed())
                .contains("Username", "Last login", "ada", "Ada Lovelace", "ada@example.org", "person", "never")
                .contains("1 of 12 shown");

        cmd.all = true;
        cmd.search = null;
        cmd.print(out);
        verify(users).list(eq(admin), eq(UserQuery.ALL), any());
    }

    @Test
    void userDisableChangesOnlyTheActiveFlag() {
        when(users.update(any(), any(), any())).thenReturn(user("ada", UserKind.PERSON, false));
        UserDisableCommand cmd = new UserDisableCommand();
        cmd.users = users;
        cmd.identity = identity;
        cmd.username = "ada";
        cmd.print(out);
        verify(users)
                .update(
                        admin,
                        "ada",
                        new UserPatch(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(false),
                                Optional.empty()));
        assertThat(printed()).contains("Disabled user ada");
    }

    private TokenCreateCommand tokenCreate(String rights, String expires) {
        TokenCreateCommand cmd = new TokenCreateCommand();
        cmd.tokens = tokens;
        cmd.identity = identity;
        cmd.clock = Clock.fixed(T, ZoneOffset.UTC);
        cmd.username = "etl";
        cmd.name = "nightly";
        cmd.rights = rights;
        cmd.expires = expires;
        return cmd;
    }

    @Test
    void tokenCreatePrintsTheSecretOnceWithAWarning() {
        when(tokens.create(any(), any(), any(), any(), any()))
                .thenReturn(new ApiTokenService.IssuedToken(token("tok-1"), "kyt_ab12cd34-the-secret"));

        tokenCreate("cohort.read, accesses.read", "90").print(out);

        verify(tokens)
                .create(admin, "etl", "nightly", Set.of("cohort.read", "accesses.read"), T.plusSeconds(90L * 86_400));
        String text = printed();
        assertThat(text).contains("Created token tok-1 for etl (rights: accesses.read, cohort.read;");
        assertThat(text).contains("WARNING: this is the only time the secret is shown");
        assertThat(text.indexOf("kyt_ab12cd34-the-secret"))
                .isPositive()
                .isEqualTo(text.lastIndexOf("kyt_ab12cd34-the-secret"));
    }

    @Test
    void tokenCreateRefusesBadOptionsBeforeCallingAnything() {
        assertThatThrownBy(() -> tokenCreate("cohort.read", "next week").print(out))
                .hasMessageContaining("--expires must be a number of days");
        assertThatThrownBy(() -> tokenCreate(" , ", "30").print(out))
                .hasMessage("--rights must name at least one right");
        assertThat(resolved).isEmpty();
        verifyNoInteractions(tokens);

        when(tokens.create(any(), any(), any(), any(), any()))
                .thenThrow(KaryoException.invalid("expires_at", "must be in the future"));
        assertThatThrownBy(() -> tokenCreate("cohort.read", "2020-01-01").print(out))
                .hasMessage("--expires must be in the future");
    }

    @Test
    void expiryIsDaysADateOrADateTime() {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        assertThat(Expiry.parse("30", clock)).isEqualTo(T.plusSeconds(30L * 86_400));
        assertThat(Expiry.parse(" 7d ", clock)).isEqualTo(T.plusSeconds(7L * 86_400));
        assertThat(Expiry.parse("1 day", clock)).isEqualTo(T.plusSeconds(86_400));
        assertThat(Expiry.parse("2027-01-31", clock)).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(Expiry.parse("2027-01-31T18:00:00+01:00", clock)).isEqualTo(Instant.parse("2027-01-31T17:00:00Z"));
        for (String bad : List.of("0", "", "-3", "tomorrow", "2027-13-01", "2027-01-31T18:00:00")) {
            assertThatThrownBy(() -> Expiry.parse(bad, clock)).hasMessageStartingWith("--expires must");
        }
    }

    @Test
    void tokenListShowsNoSecretAndFiltersByAccount() {
        when(tokens.list(any(), any())).thenReturn(List.of(token("tok-1")));
        TokenListCommand cmd = new TokenListCommand();
        cmd.tokens = tokens;
        cmd.identity = identity;
        cmd.print(out);
        verify(tokens).list(admin, null);
        assertThat(printed()).contains("tok-1", "etl", "accesses.read,cohort.read", "kyt_ab12", "never", "1 token(s)");

        cmd.username = "etl";
        cmd.print(out);
        verify(tokens).list(admin, "etl");
    }

    @Test
    void tokenRevokeSaysWhatHappened() {
        TokenRevokeCommand cmd = new TokenRevokeCommand();
        cmd.tokens = tokens;
        cmd.identity = identity;
        cmd.id = "tok-1";
        cmd.print(out);
        verify(tokens).revoke(admin, "tok-1");
        assertThat(printed()).contains("Revoked token tok-1");

        doThrow(KaryoException.notFound("token", "tok-9")).when(tokens).revoke(admin, "tok-9");
        cmd.id = "tok-9";
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("token tok-9 does not exist");
    }

    @Test
    void mfaResetRemovesTheSecondFactorOrSaysWhyNot() {
        MfaResetCommand cmd = new MfaResetCommand();
        cmd.mfa = mfa;
        cmd.identity = identity;
        cmd.username = "ada";
        cmd.print(out);
        verify(mfa).reset(admin, "ada");
        assertThat(printed()).contains("Removed the second factor of ada");

        doThrow(KaryoException.forbidden("This needs the right accesses.full_admin"))
                .when(mfa)
                .reset(admin, "bob");
        cmd.username = "bob";
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("This needs the right accesses.full_admin");
    }
}
