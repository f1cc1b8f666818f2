package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;

/** {@code karyo:fhir-reindex}: extracts every resource's search index again, as a job, with a progress bar. */
@Service
@Command(
        scope = "karyo",
        name = "fhir-reindex",
        description = "Extracts the search index of every current FHIR resource again (after search parameters were"
                + " registered or changed), online: searches keep answering correctly while it runs",
        detailedDescription = "Runs as a job in batches of short transactions (resumable after a restart); shows its"
                + " progress until it ends. Needs fhir.admin. Ctrl-C stops following, not the job.")
public class FhirReindexCommand implements Action {

    @Reference
    FhirMaintenance maintenance;

    @Reference
    JobService jobs;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--no-wait", description = "Only queue the job and print its id")
    boolean noWait;

    Duration every = Duration.ofMillis(500);

    Console.Sleeper sleeper = Console.THREAD_SLEEP;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Caller caller;
        long id;
        try {
            caller = ConsoleCaller.current(identity);
            id = maintenance.reindex(caller);
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        out.printf("Reindex runs as job %d%n", id);
        if (noWait) {
            return;
        }
        Job job;
        try {
            job = Console.follow(jobs, caller, id, out, every, sleeper);
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        if (job == null) {
            return;
        }
        if (job.error() != null) {
            out.printf("Job %d %s: %s%n", id, job.state(), job.error());
        } else {
            out.printf(
                    "%s resources read, %s indexes changed%n",
                    job.result().getOrDefault("resources.read", "0"),
                    job.result().getOrDefault("resources.changed", "0"));
        }
    }
}
