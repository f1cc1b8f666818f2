package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.api.FhirStats;

/** {@code karyo:fhir-stats}: resources per type and the size of each of the store's tables. */
@Service
@Command(
        scope = "karyo",
        name = "fhir-stats",
        description = "Shows what the FHIR store holds: resources per type (current and deleted, and their bodies'"
                + " stored size) and the total size of each of its tables (heap, TOAST and indexes)",
        detailedDescription = "Counts every row of the store, so it takes about a second per million resources."
                + " Needs fhir.admin.")
public class FhirStatsCommand implements Action {

    @Reference
    FhirMaintenance maintenance;

    @Reference
    ConsoleIdentity identity;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        FhirStats stats;
        try {
            stats = maintenance.stats(ConsoleCaller.current(identity));
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        ShellTable types = new ShellTable();
        types.column("Type");
        types.column("Resources").alignRight();
        types.column("Deleted").alignRight();
        types.column("Bodies").alignRight();
        long current = 0;
        long deleted = 0;
        for (FhirStats.TypeStats t : stats.types()) {
            types.addRow().addContent(t.type(), t.current(), t.deleted(), Console.size(t.bodyBytes()));
            current += t.current();
            deleted += t.deleted();
        }
        types.print(out);
        out.printf(
                "%d resources of %d types (%d deleted)%n%n",
                current, stats.types().size(), deleted);
        ShellTable tables = new ShellTable();
        tables.column("Table");
        tables.column("Rows (estimate)").alignRight();
        tables.column("Size").alignRight();
        for (FhirStats.TableStats t : stats.tables()) {
            tables.addRow().addContent(t.table(), t.rows(), Console.size(t.bytes()));
        }
        tables.print(out);
        out.printf(
                "%s in all%s%n",
                Console.size(stats.totalBytes()),
                current == 0
                        ? ""
                        : String.format(java.util.Locale.ROOT, " (%d B per resource)", stats.totalBytes() / current));
    }
}
