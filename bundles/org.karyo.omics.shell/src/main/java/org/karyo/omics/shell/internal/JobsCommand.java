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
import org.karyo.omics.api.Job;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.OmicsService;

/** {@code karyo:omics-jobs}: validation jobs, newest first, with where a rejected file is wrong. */
@Service
@Command(
        scope = "karyo",
        name = "omics-jobs",
        description = "Lists validation jobs of completed uploads, newest first: state, the artifact made, or where and"
                + " why a file was rejected")
public class JobsCommand implements Action {

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
        Page<Job> found;
        try {
            Set<Long> projects = Filters.values("project", project, Long::valueOf);
            found = omics.jobs(
                    ConsoleCaller.current(identity),
                    new ListQuery(projects, new PageRequest(limit, offset, ListQuery.DEFAULT_ORDERING)));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Upload").alignRight();
        table.column("Project").alignRight();
        table.column("State");
        table.column("Artifact").alignRight();
        table.column("Attempts").alignRight();
        table.column("Where");
        table.column("Message").maxSize(60);
        table.column("Finished");
        for (Job j : found.results()) {
            table.addRow()
                    .addContent(
                            j.id(),
                            j.uploadId(),
                            j.projectId(),
                            j.state(),
                            j.artifactId() == null ? "" : j.artifactId(),
                            j.attempts(),
                            j.errorWhere() == null ? "" : j.errorWhere(),
                            j.errorMessage() == null ? "" : j.errorMessage(),
                            j.finishedAt() == null ? "" : j.finishedAt());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
