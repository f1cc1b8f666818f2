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
import org.karyo.jobs.api.JobService;

/** {@code karyo:job-cancel}: cancels a job. */
@Service
@Command(
        scope = "karyo",
        name = "job-cancel",
        description = "Cancels a job: a queued one at once; a running one is asked to stop and ends CANCELLED soon"
                + " after (karyo:job-show tells). Audited")
public class JobCancelCommand implements Action {

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
        Job job;
        try {
            job = jobs.cancel(ConsoleCaller.current(identity), id);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        if (job.state().finished()) {
            out.printf("Job %d cancelled%n", id);
        } else {
            out.printf(
                    "Job %d asked to stop (it runs on node %s); karyo:job-show %d tells when it has%n",
                    id, job.node(), id);
        }
    }
}
