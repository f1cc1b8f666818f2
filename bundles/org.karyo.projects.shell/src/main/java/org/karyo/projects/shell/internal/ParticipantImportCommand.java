package org.karyo.projects.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectService;

/** {@code karyo:projects-import-participants}: loads participants from a CSV file, all or nothing. */
@Service
@Command(
        scope = "karyo",
        name = "projects-import-participants",
        description = "Imports participants from a CSV file into a project, all or nothing: rows without identifier"
                + " are added, rows with one of the project's identifiers replace that participant",
        detailedDescription = "The file is UTF-8 with a header; required columns first_name, last_name, gender,"
                + " birth_date; the other columns of karyo:projects-export-participants are read too (consent columns are"
                + " ignored). Every error names its line and column. Needs projects.participant.manage.")
public class ParticipantImportCommand implements Action {

    @Reference
    ProjectService projects;

    @Reference
    ParticipantService participants;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "project", required = true, description = "The project: its id or its code")
    String project;

    @Argument(
            index = 1,
            name = "file",
            required = true,
            description = "The CSV file, as a path on the server (relative to the Karaf base directory)")
    @Completion(FileCompleter.class)
    String file;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("file: no such file: " + path.toAbsolutePath());
        }
        ImportReport report;
        try (InputStream csv = Files.newInputStream(path)) {
            Caller caller = ConsoleCaller.current(identity);
            Project p = Console.project(projects, caller, project);
            report = participants.importCsv(caller, p.id(), csv);
        } catch (KaryoException e) {
            throw Console.explain(e);
        } catch (IOException e) {
            throw new IllegalArgumentException("file: cannot read " + path.toAbsolutePath() + ": " + e, e);
        }
        out.printf(
                "Imported %s: %d participants added, %d replaced%n",
                path.getFileName(), report.created(), report.updated());
    }
}
