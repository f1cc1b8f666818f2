package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.ApiTokenService;

/** {@code karyo:token-create}: issues a service-account API token and prints its secret once. */
@Service
@Command(
        scope = "karyo",
        name = "token-create",
        description = "Creates an API token for a service account, limited to some rights and expiring; prints its"
                + " secret once",
        detailedDescription = "The secret is printed only now and stored hashed: copy it into the client's secret"
                + " store. The client sends it as 'Authorization: Bearer <secret>'. Example:"
                + " karyo:token-create --rights projects.project.read,omics.upload --expires 90 etl \"nightly ETL\"")
public class TokenCreateCommand implements Action {

    @Reference
    ApiTokenService tokens;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "service username",
            required = true,
            description = "The service account the token authenticates (see karyo:user-add --service)")
    String username;

    @Argument(index = 1, name = "name", required = true, description = "What the token is for, quoted if it has spaces")
    String name;

    @Option(
            name = "--rights",
            aliases = "-r",
            required = true,
            description = "The rights the token is limited to, comma-separated (intersected with the account's own);"
                    + " each must be a right an installed module declares (GET /api/accesses/rights lists them)")
    String rights;

    @Option(
            name = "--expires",
            aliases = "-x",
            required = true,
            description = "When it expires: a number of days (90 or 90d), an ISO date (2027-01-31, midnight UTC) or"
                    + " an ISO date-time with offset (2027-01-31T18:00:00Z)")
    String expires;

    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Instant expiresAt = Expiry.parse(expires, clock);
        Set<String> limitedTo = Filters.values(rights);
        if (limitedTo.isEmpty()) {
            throw new IllegalArgumentException("--rights must name at least one right");
        }
        var caller = Console.caller(identity);
        ApiTokenService.IssuedToken issued;
        try {
            issued = tokens.create(caller, username, name, limitedTo, expiresAt);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf(
                "Created token %s for %s (rights: %s; expires %s)%n",
                issued.token().id(),
                issued.token().username(),
                String.join(", ", issued.token().rights().stream().sorted().toList()),
                issued.token().expiresAt());
        out.println("WARNING: this is the only time the secret is shown. Store it in the client's secret store now;");
        out.println("it cannot be retrieved later (revoke the token and create a new one if it is lost).");
        out.println();
        out.println("    " + issued.secret());
        out.println();
    }
}
