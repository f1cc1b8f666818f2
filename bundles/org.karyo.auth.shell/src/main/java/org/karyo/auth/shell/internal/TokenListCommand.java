package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService;

/** {@code karyo:token-list}: the service-account API tokens, never their secrets. */
@Service
@Command(
        scope = "karyo",
        name = "token-list",
        description = "Lists service-account API tokens (id, rights, expiry, revocation, last use; never the secret)")
public class TokenListCommand implements Action {

    @Reference
    ApiTokenService tokens;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "username", description = "Only the tokens of this service account")
    String username;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        var caller = Console.caller(identity);
        List<ApiToken> found;
        try {
            found = tokens.list(caller, username == null || username.isBlank() ? null : username);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Account");
        table.column("Name");
        table.column("Rights");
        table.column("Prefix");
        table.column("Expires");
        table.column("Revoked");
        table.column("Last used");
        for (ApiToken t : found) {
            table.addRow()
                    .addContent(
                            t.id(),
                            t.username(),
                            t.name(),
                            String.join(",", t.rights().stream().sorted().toList()),
                            t.prefix(),
                            t.expiresAt(),
                            t.revokedAt().map(Object::toString).orElse(""),
                            t.lastUsedAt().map(Object::toString).orElse("never"));
        }
        table.print(out);
        out.printf("%d token(s)%n", found.size());
    }
}
