package org.karyo.jobs.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
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
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;

/** {@code karyo:job-list}: a table of jobs, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "job-list",
        description = "Lists jobs (yours; every job with the right jobs.manage), newest first, with their progress")
public class JobListCommand implements Action {

    @Reference
    JobService jobs;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--type", aliases = "-t", description = "Only these job types, comma-separated (omics.validation)")
    String type;

    @Option(name = "--module", aliases = "-m", description = "Only the jobs of these modules, comma-separated")
    String module;

    @Option(
            name = "--state",
            aliases = "-s",
            description = "Only jobs in these states, comma-separated: QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED")
    String state;

    @Option(name = "--owner", aliases = "-o", description = "Only the jobs of this user id")
    String owner;

    @Option(name = "--key", aliases = "-k", description = "Only the jobs with this key (an upload id, a request id)")
    String key;

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
            Set<JobState> states = Filters.values("state", state, s -> JobState.valueOf(s.toUpperCase(Locale.ROOT)));
            if (limit < 1 || limit > 1000) {
                throw KaryoException.invalid("limit", "must be between 1 and 1000");
            }
            if (offset < 0) {
                throw KaryoException.invalid("offset", "must be at least 0");
            }
            JobQuery query = new JobQuery(
                    Filters.values(type),
                    Filters.values(module),
                    states,
                    owner,
                    key,
                    new PageRequest(limit, offset, JobQuery.DEFAULT_ORDERING));
            found = jobs.list(ConsoleCaller.current(identity), query);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Type");
        table.column("State");
        table.column("Progress");
        table.column("Owner");
        table.column("Node");
        table.column("Created");
        table.column("Error").maxSize(60);
        for (Job j : found.results()) {
            table.addRow()
                    .addContent(
                            j.id(),
                            j.type(),
                            Shown.state(j),
                            Shown.progress(j.progress()),
                            j.owner(),
                            Shown.text(j.node()),
                            Shown.time(j.createdAt()),
                            Shown.text(j.error()));
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
