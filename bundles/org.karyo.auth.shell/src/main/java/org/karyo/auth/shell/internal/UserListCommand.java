package org.karyo.auth.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;

/** {@code karyo:user-list}: a table of users by username. */
@Service
@Command(
        scope = "karyo",
        name = "user-list",
        description = "Lists users (persons and service accounts) by username; active ones only unless --all")
public class UserListCommand implements Action {

    @Reference
    UserService users;

    @Reference
    ConsoleIdentity identity;

    @Option(
            name = "--search",
            aliases = "-s",
            description = "Only users whose username, names or e-mail contain this (any case)")
    String search;

    @Option(name = "--all", aliases = "-a", description = "Include disabled users")
    boolean all;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 50)")
    int limit = 50;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        var caller = Console.caller(identity);
        Page<User> found;
        try {
            UserQuery query = new UserQuery(
                    Optional.ofNullable(search).filter(s -> !s.isBlank()),
                    Optional.empty(),
                    all ? Optional.empty() : Optional.of(true),
                    false);
            found = users.list(caller, query, new PageRequest(limit, offset, List.of(new Sort("username", false))));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("Username");
        table.column("Name");
        table.column("E-mail");
        table.column("Kind");
        table.column("Active");
        table.column("MFA");
        table.column("Source");
        table.column("Last login");
        for (User u : found.results()) {
            table.addRow()
                    .addContent(
                            u.username(),
                            (u.firstname() + " " + u.lastname()).trim(),
                            u.email().orElse(""),
                            u.kind() == UserKind.SERVICE ? "service" : "person",
                            u.active() ? "yes" : "no",
                            u.mfaEnrolled() ? "yes" : "no",
                            u.source(),
                            u.lastLogin().map(Object::toString).orElse("never"));
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
