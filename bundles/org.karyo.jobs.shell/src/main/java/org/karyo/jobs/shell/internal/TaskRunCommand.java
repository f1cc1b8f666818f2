package org.karyo.jobs.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.TaskService;

/** {@code karyo:task-run}: runs a task now. */
@Service
@Command(
        scope = "karyo",
        name = "task-run",
        description = "Runs a scheduled task now, even when its schedule is disabled, as a job (karyo:job-show tells"
                + " how it went); the run is its own entry in karyo:task-history. Audited")
public class TaskRunCommand implements Action {

    @Reference
    TaskService tasks;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "name", required = true, description = "The task's name, as karyo:task-list shows it")
    String name;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Job job;
        try {
            job = tasks.run(ConsoleCaller.current(identity), name);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Task %s runs as job %d (karyo:job-show %d)%n", name, job.id(), job.id());
    }
}
