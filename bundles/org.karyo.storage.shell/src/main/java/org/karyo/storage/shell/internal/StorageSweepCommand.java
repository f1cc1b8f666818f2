package org.karyo.storage.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.SweepReport;

/** {@code karyo:storage-sweep}: what the sweeper would remove (by default), or removes it ({@code --apply}). */
@Service
@Command(
        scope = "karyo",
        name = "storage-sweep",
        description = "Shows the objects that no module references, the stale multipart uploads and the temporary files"
                + " of unfinished writes, older than the grace period, under the prefixes of the installed modules;"
                + " --apply removes them",
        detailedDescription = "Without --apply this is a dry run: nothing is removed, the command prints what a sweep"
                + " would remove and the total. Only prefixes of installed modules are looked at (each module"
                + " registers what it references), so an uninstalled module's objects stay. A real sweep is audited"
                + " as storage.sweep.run. The scheduled task storage.sweep (karyo:task-list) does the same.")
public class StorageSweepCommand implements Action {

    static final int SHOWN = 200;

    @Reference
    StorageSweeper sweeper;

    @Option(name = "--apply", description = "Remove them (default: a dry run that only reports)")
    boolean apply;

    @Option(
            name = "--grace-hours",
            aliases = "-g",
            description = "Only what is older than this many hours (default: the configured grace.hours, 24)")
    Integer graceHours;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        if (graceHours != null && graceHours < 0) {
            throw new IllegalArgumentException("--grace-hours must not be negative");
        }
        SweepReport r;
        try {
            r = sweeper.sweep(!apply, graceHours == null ? null : Duration.ofHours(graceHours));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        if (!r.objects().isEmpty()) {
            ShellTable objects = new ShellTable();
            objects.column("Object");
            objects.column("Size").alignRight();
            objects.column("Modified");
            r.objects().stream().limit(SHOWN).forEach(o -> objects.addRow()
                    .addContent(o.key(), o.size(), o.lastModified()));
            objects.print(out);
            if (r.objects().size() > SHOWN) {
                out.printf("... and %d more object(s)%n", r.objects().size() - SHOWN);
            }
        }
        if (!r.uploads().isEmpty()) {
            ShellTable uploads = new ShellTable();
            uploads.column("Upload of");
            uploads.column("Upload id");
            uploads.column("Started");
            r.uploads().stream().limit(SHOWN).forEach(u -> uploads.addRow()
                    .addContent(u.upload().key(), u.upload().uploadId(), u.initiated()));
            uploads.print(out);
            if (r.uploads().size() > SHOWN) {
                out.printf("... and %d more upload(s)%n", r.uploads().size() - SHOWN);
            }
        }
        String where = r.prefixes().isEmpty()
                ? "no installed module registers a prefix"
                : "under " + String.join(", ", r.prefixes());
        String leftovers = r.leftovers().files() + " temporary file(s) of unfinished writes, "
                + bytes(r.leftovers().bytes());
        if (r.dryRun()) {
            out.printf(
                    "Dry run (%s): would remove %d object(s), %s, abort %d upload(s) and remove %s. Run with --apply to"
                            + " do it.%n",
                    where, r.objects().size(), bytes(r.bytes()), r.uploads().size(), leftovers);
        } else {
            out.printf(
                    "Removed %d object(s), %s, aborted %d upload(s) and removed %s (%s).%n",
                    r.objects().size(), bytes(r.bytes()), r.uploads().size(), leftovers, where);
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], n);
    }
}
