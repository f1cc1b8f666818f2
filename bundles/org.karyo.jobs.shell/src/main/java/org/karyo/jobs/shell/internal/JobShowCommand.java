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
import org.karyo.jobs.api.JobService;

/** {@code karyo:job-show}: one job in full. */
@Service
@Command(
        scope = "karyo",
        name = "job-show",
        description = "Shows a job: state, progress, attempts, node, times, error or result")
public class JobShowCommand implements Action {

    @Reference
    JobService jobs;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "id", required = true, description = "The job's id, as karyo:job-list shows it")
    long id;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        try {
            Shown.job(out, jobs.get(ConsoleCaller.current(identity), id));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
    }
}
