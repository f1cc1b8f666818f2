package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.ApiTokenService;

/** {@code karyo:token-revoke}: revokes a service-account API token at once. */
@Service
@Command(
        scope = "karyo",
        name = "token-revoke",
        description = "Revokes a service-account API token: it stops working at the next request")
public class TokenRevokeCommand implements Action {

    @Reference
    ApiTokenService tokens;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "id", required = true, description = "The token's id, as karyo:token-list shows it")
    String id;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        var caller = Console.caller(identity);
        try {
            tokens.revoke(caller, id);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Revoked token %s%n", id);
    }
}
