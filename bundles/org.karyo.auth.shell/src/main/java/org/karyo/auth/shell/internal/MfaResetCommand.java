package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.MfaService;

/** {@code karyo:mfa-reset}: removes a user's second factor (a lost phone). */
@Service
@Command(
        scope = "karyo",
        name = "mfa-reset",
        description = "Removes a user's TOTP second factor and recovery codes, for example after a lost phone; the"
                + " user enrols again at the next login if the site requires a second factor")
public class MfaResetCommand implements Action {

    @Reference
    MfaService mfa;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "username", required = true, description = "The user whose second factor to remove")
    String username;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        var caller = Console.caller(identity);
        try {
            mfa.reset(caller, username);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Removed the second factor of %s%n", username);
    }
}
