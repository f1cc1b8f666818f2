package org.karyo.projects.shell.internal;

import java.io.PrintStream;
import java.util.List;
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
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.InstitutionService;

/** {@code karyo:projects-institutions}: the institutions the console user may see. */
@Service
@Command(
        scope = "karyo",
        name = "projects-institutions",
        description = "Lists the institutions you may see (code, name, department, perimeter node), by code")
public class InstitutionListCommand implements Action {

    @Reference
    InstitutionService institutions;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--search", aliases = "-s", description = "Only institutions whose code or name contains this")
    String search;

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
        Page<Institution> found;
        try {
            found = institutions.list(
                    ConsoleCaller.current(identity),
                    search,
                    new PageRequest(limit, offset, List.of(new Sort("code", false))));
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Code");
        table.column("Name");
        table.column("Department");
        table.column("Perimeter").alignRight();
        for (Institution i : found.results()) {
            table.addRow()
                    .addContent(
                            i.id(), i.code(), i.name(), i.department() == null ? "" : i.department(), i.perimeterId());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
