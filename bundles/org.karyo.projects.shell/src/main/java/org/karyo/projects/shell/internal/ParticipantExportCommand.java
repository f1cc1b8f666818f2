package org.karyo.projects.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectService;

/** {@code karyo:projects-export-participants}: writes a project's participants to a CSV file. */
@Service
@Command(
        scope = "karyo",
        name = "projects-export-participants",
        description = "Exports every participant of a project to a CSV file: nominative, or pseudonymised when you may"
                + " read pseudonymised data only",
        detailedDescription =
                "A nominative export imports back with karyo:projects-import-participants. The file must not"
                        + " exist unless --force is given. The export is audited.")
public class ParticipantExportCommand implements Action {

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
            description = "The CSV file to write, as a path on the server (relative to the Karaf base directory)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--force", aliases = "-f", description = "Overwrite the file if it exists")
    boolean force;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Path path = Path.of(file);
        if (Files.exists(path) && !force) {
            throw new IllegalArgumentException(
                    "file: " + path.toAbsolutePath() + " exists; add --force to overwrite it");
        }
        ParticipantExport export;
        try {
            Caller caller = ConsoleCaller.current(identity);
            Project p = Console.project(projects, caller, project);
            export = participants.exportCsv(caller, p.id());
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        try (OutputStream os = Files.newOutputStream(
                path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            export.writeTo(os);
        } catch (IOException e) {
            throw new IllegalArgumentException("file: cannot write " + path.toAbsolutePath() + ": " + e, e);
        }
        out.printf(
                "Exported the participants of %s to %s%s%n",
                project, path.getFileName(), export.pseudonymized() ? " (pseudonymised)" : "");
    }
}
