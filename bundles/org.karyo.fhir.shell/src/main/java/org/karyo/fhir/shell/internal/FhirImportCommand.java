package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;

/** {@code karyo:fhir-import}: imports NDJSON files of the import folder as a job, with a progress bar. */
@Service
@Command(
        scope = "karyo",
        name = "fhir-import",
        description = "Imports NDJSON files (<Type>[.<suffix>].ndjson, one resource a line) from the FHIR import"
                + " folder into the FHIR store, as a job: shows its progress until it ends, then the lines it refused;"
                + " importing the same ids again updates them",
        detailedDescription = "The path is a file or a folder (its .ndjson files) inside the folder configured as"
                + " import.folder of org.karyo.fhir (or KARYO_FHIR_IMPORT_FOLDER), relative to it or absolute; paths"
                + " outside it are refused. Files are read in an order that puts referenced types first; conditional"
                + " references (Organization?identifier=system|value, as Synthea writes them) are resolved once the"
                + " other lines are stored. --fhir-version 4.0 converts R4 (Synthea's default) and needs the feature"
                + " karyo-fhir-r4. Needs fhir.admin. Ctrl-C stops following, not the job (karyo:job-cancel does)."
                + " Example: karyo:fhir-import synthea/fhir --fhir-version 4.0")
public class FhirImportCommand implements Action {

    @Reference
    FhirImports imports;

    @Reference
    JobService jobs;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "path",
            required = true,
            description = "A file or folder in the import folder (relative to it, or absolute)")
    @Completion(FileCompleter.class)
    String path;

    @Option(
            name = "--fhir-version",
            aliases = "-v",
            description = "The FHIR version of the files: 5.0 (the default) or 4.0 (converted to R5)")
    String fhirVersion = FhirImports.R5;

    @Option(name = "--no-wait", description = "Only queue the job and print its id")
    boolean noWait;

    /** How often the progress is looked at; the tests make it 0. */
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
            id = imports.start(caller, ImportRequest.ofFiles(List.of(path), fhirVersion));
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        out.printf("Import of %s (FHIR %s) runs as job %d%n", path, fhirVersion, id);
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
        if (job.state() != JobState.SUCCEEDED) {
            out.printf("Job %d %s: %s%n", id, job.state(), job.error() == null ? "" : job.error());
            report(out, caller, id);
            return;
        }
        Map<String, String> r = job.result();
        out.printf(
                "%s lines read: %s resources stored, %s lines refused, %s unresolved references%n",
                r.getOrDefault("lines.read", "0"),
                r.getOrDefault("resources.stored", "0"),
                r.getOrDefault("lines.refused", "0"),
                r.getOrDefault("references.unresolved", "0"));
        if (!"0".equals(r.getOrDefault("lines.refused", "0"))
                || !"0".equals(r.getOrDefault("references.unresolved", "0"))) {
            report(out, caller, id);
        }
    }

    private void report(PrintStream out, Caller caller, long id) {
        List<String> lines;
        try {
            lines = imports.report(caller, id);
        } catch (KaryoException e) {
            return;
        }
        if (lines.isEmpty()) {
            return;
        }
        out.println("File\tLine\tReason");
        for (String l : lines) {
            out.println(l);
        }
    }
}
