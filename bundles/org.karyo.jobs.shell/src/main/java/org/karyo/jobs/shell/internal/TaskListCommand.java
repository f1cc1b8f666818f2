package org.karyo.jobs.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskService;

/** {@code karyo:task-list}: the scheduled tasks. */
@Service
@Command(
        scope = "karyo",
        name = "task-list",
        description = "Lists the scheduled tasks: scope (cluster: once per firing across nodes; node: on every node),"
                + " schedule (Quartz cron, from etc/org.karyo.scheduler.cfg or the task's default), next and last run")
public class TaskListCommand implements Action {

    @Reference
    TaskService tasks;

    @Reference
    ConsoleIdentity identity;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<TaskInfo> all;
        try {
            all = tasks.list(ConsoleCaller.current(identity));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Scope");
        table.column("Schedule");
        table.column("Next run");
        table.column("Last run");
        table.column("Description").maxSize(60);
        for (TaskInfo t : all) {
            table.addRow()
                    .addContent(
                            t.name(),
                            t.scope(),
                            t.schedule(),
                            t.enabled() ? Shown.time(t.nextRun()) : "disabled",
                            Shown.run(t.lastRun()),
                            t.description());
        }
        table.print(out);
    }
}
