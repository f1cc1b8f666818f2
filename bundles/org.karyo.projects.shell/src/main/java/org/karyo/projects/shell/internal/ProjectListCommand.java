package org.karyo.projects.shell.internal;

import java.io.PrintStream;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectService;

/** {@code karyo:projects-list}: the projects the console user may see. */
@Service
@Command(
        scope = "karyo",
        name = "projects-list",
        description = "Lists the projects you may see: code, name, institution, status, dates, participants",
        detailedDescription = "Example: karyo:projects-list --active --search cohort")
public class ProjectListCommand implements Action {

    @Reference
    ProjectService projects;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--search", aliases = "-s", description = "Only projects whose code or name contains this")
    String search;

    @Option(name = "--institution", aliases = "-i", description = "Only the projects of this institution id")
    Long institution;

    @Option(name = "--active", aliases = "-a", description = "Only projects active today (EBDMS is_active)")
    boolean active;

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
        Page<Project> found;
        try {
            found = projects.list(
                    ConsoleCaller.current(identity),
                    new ProjectQuery(
                            institution,
                            Set.of(),
                            active ? Boolean.TRUE : null,
                            search,
                            new PageRequest(limit, offset, ProjectQuery.DEFAULT_ORDERING)));
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Code");
        table.column("Name").maxSize(40);
        table.column("Institution");
        table.column("Status");
        table.column("Active");
        table.column("Start");
        table.column("End");
        table.column("Participants").alignRight();
        for (Project p : found.results()) {
            table.addRow()
                    .addContent(
                            p.id(),
                            p.code(),
                            p.name(),
                            p.institutionCode(),
                            p.status(),
                            p.active() ? "yes" : "no",
                            p.startDate(),
                            p.endDate() == null ? "" : p.endDate(),
                            p.participantCount());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
