package org.karyo.accesses.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:role-list}: a table of roles and the rights each holds. */
@Service
@Command(scope = "karyo", name = "role-list", description = "Lists roles with the right keys each one holds")
public class RoleListCommand implements Action {

    private static final int RIGHTS_WIDTH = 70;

    @Reference
    RoleService roles;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--name", aliases = "-n", description = "Only roles whose name contains this (any case)")
    String name;

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
        Page<Role> found;
        try {
            found = roles.list(
                    Console.caller(identity),
                    Optional.ofNullable(name).filter(s -> !s.isBlank()),
                    Set.of(),
                    new PageRequest(limit, offset, List.of()));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Name");
        table.column("Rights").alignRight();
        table.column("Keys").maxSize(RIGHTS_WIDTH).wrap();
        for (Role r : found.results()) {
            table.addRow().addContent(r.id(), r.name(), r.rights().size(), String.join(", ", r.rights()));
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
