package org.karyo.accesses.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.PerimeterService.ImportReport;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:perimeter-import}: loads Cohort360's {@code perimeters.csv}. */
@Service
@Command(
        scope = "karyo",
        name = "perimeter-import",
        description = "Imports a perimeter tree from Cohort360's perimeters.csv, all or nothing: new nodes are added,"
                + " existing ones (same local_id) updated",
        detailedDescription = "The file has a header and the columns id, local_id, name, short_name, source_value,"
                + " type_source_value, parent_id (other columns are ignored). Needs accesses.full_admin.")
public class PerimeterImportCommand implements Action {

    @Reference
    PerimeterService perimeters;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
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
            report = perimeters.importCsv(Console.caller(identity), csv);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file: no such file: " + path.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("file: cannot read " + path.toAbsolutePath() + ": " + e, e);
        }
        out.printf(
                "Imported %s: %d created, %d updated, %d unchanged%n",
                path.getFileName(), report.created(), report.updated(), report.unchanged());
    }
}
