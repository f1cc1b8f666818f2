package org.karyo.accesses.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.ProfileService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:access-list}: a table of the accesses you may manage. */
@Service
@Command(
        scope = "karyo",
        name = "access-list",
        description = "Lists the accesses you may manage: who holds which role on which perimeter, and when")
public class AccessListCommand implements Action {

    @Reference
    AccessService accesses;

    @Reference
    PerimeterService perimeters;

    @Reference
    ProfileService profiles;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--user", aliases = "-u", description = "Only this user's accesses: a username or a user id")
    String user;

    @Option(
            name = "--perimeter",
            aliases = "-p",
            description = "Only the accesses on this perimeter node: its id or local_id")
    String perimeter;

    @Option(name = "--valid", aliases = "-v", description = "Only the accesses valid now")
    boolean valid;

    @Option(name = "--limit", description = "How many to show (default 100)")
    int limit = 100;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<Access> found;
        try {
            Caller caller = Console.caller(identity);
            Optional<String> userId = user == null || user.isBlank()
                    ? Optional.empty()
                    : Optional.of(Console.userId(profiles, caller, user));
            Optional<Long> perimeterId = perimeter == null || perimeter.isBlank()
                    ? Optional.empty()
                    : Optional.of(Console.perimeterId(perimeters, caller, perimeter));
            AccessQuery query = new AccessQuery(
                    perimeterId,
                    false,
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    userId,
                    Optional.empty(),
                    valid ? Optional.of(true) : Optional.empty());
            found = accesses.list(caller, query, new PageRequest(limit, offset, List.of()));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("User");
        table.column("Role");
        table.column("Perimeter");
        table.column("Start");
        table.column("End");
        table.column("Valid");
        table.column("Source");
        for (Access a : found.results()) {
            table.addRow()
                    .addContent(
                            a.id(),
                            a.username(),
                            a.roleName(),
                            a.perimeterName()
                                    .orElse(a.perimeterId().map(String::valueOf).orElse("-")),
                            a.start(),
                            a.end(),
                            a.valid() ? "yes" : "no",
                            a.source());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
