package org.karyo.omics.shell.internal;

import java.io.PrintStream;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.OmicsService;
import org.karyo.omics.api.Upload;

/** {@code karyo:omics-uploads}: uploads in progress and done, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "omics-uploads",
        description = "Lists uploads of genomic files (receiving, completing, completed, rejected, aborted, expired)"
                + " of the projects you may upload to, newest first")
public class UploadsCommand implements Action {

    @Reference
    OmicsService omics;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--project", aliases = "-p", description = "Only these project ids, comma-separated")
    String project;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 20)")
    int limit = PageRequest.DEFAULT_LIMIT;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<Upload> found;
        try {
            Set<Long> projects = Filters.values("project", project, Long::valueOf);
            found = omics.uploads(
                    ConsoleCaller.current(identity),
                    new ListQuery(projects, new PageRequest(limit, offset, ListQuery.DEFAULT_ORDERING)));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Project").alignRight();
        table.column("Kind");
        table.column("File").maxSize(40);
        table.column("Size").alignRight();
        table.column("Parts").alignRight();
        table.column("State");
        table.column("Job").alignRight();
        table.column("By");
        table.column("Expires");
        for (Upload u : found.results()) {
            table.addRow()
                    .addContent(
                            u.id(),
                            u.projectId(),
                            u.kind(),
                            u.fileName(),
                            Sizes.of(u.size()),
                            u.partCount(),
                            u.state(),
                            u.jobId() == null ? "" : u.jobId(),
                            u.createdBy(),
                            u.expiresAt());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
