package org.karyo.accesses.shell.internal;

import java.io.PrintStream;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.NewAccess;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:access-grant}: gives a user a role on a perimeter. */
@Service
@Command(
        scope = "karyo",
        name = "access-grant",
        description = "Grants a user a role on a perimeter node, from now (or --start) for 365 days (or until --end)",
        detailedDescription = "Example: karyo:access-grant alice \"Data reader\" H01 --end 2031-01-01T00:00:00Z\n"
                + "The same rules as the REST API apply: you need the management right the role calls for on that"
                + " perimeter, and dates may not be in the past.")
public class AccessGrantCommand implements Action {

    @Reference
    AccessService accesses;

    @Reference
    RoleService roles;

    @Reference
    PerimeterService perimeters;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "username",
            required = true,
            description = "The user's login name (a manual profile is created if the user has none)")
    String username;

    @Argument(
            index = 1,
            name = "role",
            required = true,
            description = "The role's id or exact name, as karyo:role-list shows it")
    String role;

    @Argument(
            index = 2,
            name = "perimeter",
            required = true,
            description = "The perimeter node's id or local_id, as karyo:perimeter-list shows it")
    String perimeter;

    @Option(
            name = "--start",
            aliases = "-s",
            description = "When the access starts, an ISO-8601 instant such as 2030-01-31T08:00:00Z (default now)")
    String start;

    @Option(
            name = "--end",
            aliases = "-e",
            description = "When the access ends, an ISO-8601 instant (default the start + 365 days)")
    String end;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        NewAccess grant;
        Access created;
        try {
            Caller caller = Console.caller(identity);
            grant = new NewAccess(
                    Optional.of(username.strip()),
                    Optional.empty(),
                    Console.roleId(roles, caller, role),
                    Console.perimeterId(perimeters, caller, perimeter),
                    Console.instant("--start", start),
                    Console.instant("--end", end));
            created = accesses.create(caller, grant);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf(
                "Granted access %d: %s is %s on %s from %s until %s%n",
                created.id(),
                created.username(),
                created.roleName(),
                created.perimeterName().orElse(String.valueOf(grant.perimeterId())),
                created.start(),
                created.end());
    }
}
