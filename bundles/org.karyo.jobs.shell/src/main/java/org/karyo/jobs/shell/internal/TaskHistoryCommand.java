package org.karyo.jobs.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
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
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskService;

/** {@code karyo:task-history}: the runs of one task or of all. */
@Service
@Command(
        scope = "karyo",
        name = "task-history",
        description = "Shows task runs, newest first: the firing (slot) each ran for, what started it (SCHEDULE,"
                + " CATCH_UP, MANUAL), the node, the outcome (SUCCEEDED, FAILED, SKIPPED, INTERRUPTED) and its summary"
                + " or error")
public class TaskHistoryCommand implements Action {

    @Reference
    TaskService tasks;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "name", description = "Only this task's runs (default: every task's)")
    String name;

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
        Page<TaskRun> runs;
        try {
            if (limit < 1 || limit > 1000) {
                throw KaryoException.invalid("limit", "must be between 1 and 1000");
            }
            if (offset < 0) {
                throw KaryoException.invalid("offset", "must be at least 0");
            }
            runs = tasks.history(ConsoleCaller.current(identity), name, new PageRequest(limit, offset, List.of()));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Task");
        table.column("Slot");
        table.column("Trigger");
        table.column("Node");
        table.column("Outcome");
        table.column("Started");
        table.column("Finished");
        table.column("Summary or error").maxSize(60);
        for (TaskRun r : runs.results()) {
            table.addRow()
                    .addContent(
                            r.id(),
                            r.task(),
                            Shown.time(r.slot()),
                            r.trigger(),
                            r.node(),
                            r.outcome(),
                            Shown.time(r.startedAt()),
                            Shown.time(r.finishedAt()),
                            r.error() != null ? r.error() : Shown.text(r.summary()));
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", runs.results().size(), runs.count(), runs.offset());
    }
}
