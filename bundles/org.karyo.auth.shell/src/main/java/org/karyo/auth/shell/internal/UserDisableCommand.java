package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserService;

/** {@code karyo:user-disable}: disables a user (users are never deleted). */
@Service
@Command(
        scope = "karyo",
        name = "user-disable",
        description = "Disables a user: they can no longer log in, and their tokens and rights stop working at the next"
                + " request (users are never deleted; re-enable with PATCH /api/users/{username} is_active=true)")
public class UserDisableCommand implements Action {

    @Reference
    UserService users;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "username", required = true, description = "The user to disable")
    String username;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        var caller = Console.caller(identity);
        try {
            users.update(
                    caller,
                    username,
                    new UserPatch(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(false),
                            Optional.empty()));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Disabled user %s%n", username);
    }
}
