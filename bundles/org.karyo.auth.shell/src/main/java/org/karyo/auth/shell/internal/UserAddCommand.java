package org.karyo.auth.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserService;

/** {@code karyo:user-add}: creates a person or a service account. */
@Service
@Command(
        scope = "karyo",
        name = "user-add",
        description =
                "Adds a user: a person, or with --service a service account (which authenticates with API tokens)",
        detailedDescription = "The new user holds no access until one is granted (karyo:access-grant). A person without"
                + " a password logs in through an authentication provider (LDAP) or OIDC. Example:"
                + " karyo:user-add --firstname Ada --lastname Lovelace --email ada@example.org --password-prompt ada."
                + " In a script (bin/client -b runs the lines of its standard input), pipe the password in:"
                + " echo \"echo '$PW' | karyo:user-add --password-stdin ada\" | bin/client -b")
public class UserAddCommand implements Action {
    private static final int MAX_PASSWORD_BYTES = 1024;

    @Reference
    UserService users;

    @Reference
    ConsoleIdentity identity;

    @Reference
    Session session;

    @Argument(
            index = 0,
            name = "username",
            required = true,
            description = "The username (it never changes; must match the configured username pattern)")
    String username;

    @Option(name = "--firstname", aliases = "-f", description = "The given name")
    String firstname;

    @Option(name = "--lastname", aliases = "-l", description = "The family name")
    String lastname;

    @Option(name = "--email", aliases = "-e", description = "The e-mail address (unique; optional)")
    String email;

    @Option(
            name = "--service",
            description = "Create a service account (an executor, ETL or rollout client) instead of a person; it has"
                    + " no password: create its API tokens with karyo:token-create")
    boolean service;

    @Option(
            name = "--password-prompt",
            aliases = "-p",
            description = "Ask for a local password (typed twice, masked; never given on the command line)")
    boolean passwordPrompt;

    @Option(
            name = "--password-stdin",
            description = "Read the local password from the first line of the command's standard input, without a"
                    + " prompt, for scripts: echo 'S3cret-Passw0rd' | karyo:user-add --password-stdin ada")
    boolean passwordStdin;

    @Override
    public Object execute() throws IOException {
        print(System.out);
        return null;
    }

    void print(PrintStream out) throws IOException {
        print(out, System.in);
    }

    void print(PrintStream out, InputStream stdin) throws IOException {
        if (passwordPrompt && passwordStdin) {
            throw new IllegalArgumentException("--password-prompt and --password-stdin: give one of them");
        }
        if (service && (passwordPrompt || passwordStdin)) {
            throw new IllegalArgumentException((passwordPrompt ? "--password-prompt" : "--password-stdin")
                    + ": a service account has no password; create an API token with karyo:token-create");
        }
        var caller = Console.caller(identity);
        char[] password = passwordPrompt ? promptPassword() : passwordStdin ? readPassword(stdin) : null;
        try {
            User u = users.create(
                    caller,
                    new NewUser(
                            username,
                            firstname == null ? "" : firstname,
                            lastname == null ? "" : lastname,
                            Optional.ofNullable(email).filter(e -> !e.isBlank()),
                            service ? UserKind.SERVICE : UserKind.PERSON,
                            Optional.ofNullable(password)));
            out.printf(
                    "Added %s %s (id %s)%n",
                    u.kind() == UserKind.SERVICE ? "service account" : "user", u.username(), u.id());
        } catch (KaryoException e) {
            throw Errors.explain(e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * The first line of {@code in} (without its line end), read byte by byte so that nothing after it is consumed. In
     * the console, a command's {@code System.in} is its pipe ({@code echo pw | karyo:user-add ...}).
     */
    static char[] readPassword(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() >= MAX_PASSWORD_BYTES) {
                    throw new IllegalArgumentException("--password-stdin: the password line is too long");
                }
                line.write(b);
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(bytes, (byte) 0);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            if (password.length == 0) {
                throw new IllegalArgumentException("--password-stdin: no password on standard input");
            }
            return password;
        } finally {
            line.reset();
        }
    }

    private char[] promptPassword() throws IOException {
        String first = session.readLine("Password: ", '*');
        String second = session.readLine("Password again: ", '*');
        if (first == null || first.isEmpty()) {
            throw new IllegalArgumentException("No password was given");
        }
        if (!first.equals(second)) {
            throw new IllegalArgumentException("The two passwords differ");
        }
        return first.toCharArray();
    }
}
