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
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:perimeter-list}: a table of perimeter nodes, or of one node's children. */
@Service
@Command(
        scope = "karyo",
        name = "perimeter-list",
        description = "Lists the perimeter nodes you can see, or the children of one node (--parent)")
public class PerimeterListCommand implements Action {

    @Reference
    PerimeterService perimeters;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--parent", aliases = "-p", description = "Only the children of this node: its id or local_id")
    String parent;

    @Option(
            name = "--search",
            aliases = "-s",
            description = "Only nodes whose name contains this (ignored with --parent)")
    String search;

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
        Page<Perimeter> found;
        try {
            Caller caller = Console.caller(identity);
            PageRequest page = new PageRequest(limit, offset, List.of());
            if (parent != null && !parent.isBlank()) {
                found = perimeters.children(caller, Console.perimeterId(perimeters, caller, parent), page);
            } else {
                PerimeterQuery query = new PerimeterQuery(
                        Optional.ofNullable(search).filter(s -> !s.isBlank()),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of());
                found = perimeters.list(caller, query, page);
            }
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Local id");
        table.column("Type");
        table.column("Level").alignRight();
        table.column("Name");
        table.column("Parent").alignRight();
        table.column("Owner");
        for (Perimeter p : found.results()) {
            table.addRow()
                    .addContent(
                            p.id(),
                            p.localId(),
                            p.type(),
                            p.level(),
                            p.name(),
                            p.parentId().map(String::valueOf).orElse("-"),
                            p.owner());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
