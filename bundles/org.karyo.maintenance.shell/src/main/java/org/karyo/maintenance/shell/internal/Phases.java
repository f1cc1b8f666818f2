package org.karyo.maintenance.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.maintenance.api.MaintenancePhase;

/** How the maintenance commands print phases and errors. */
final class Phases {
    private Phases() {}

    /** A table of phases with the time left until each one starts (upcoming) or ends (active). */
    static void print(List<MaintenancePhase> phases, Instant now, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Type");
        table.column("Subject").maxSize(60);
        table.column("Start (UTC)");
        table.column("End (UTC)");
        table.column("Status");
        for (MaintenancePhase p : phases) {
            table.addRow()
                    .addContent(p.id(), p.type(), p.subject(), p.startDatetime(), p.endDatetime(), status(p, now));
        }
        table.print(out, true);
    }

    static String status(MaintenancePhase p, Instant now) {
        if (now.isBefore(p.startDatetime())) {
            return "starts in " + human(Duration.between(now, p.startDatetime()));
        }
        if (now.isBefore(p.endDatetime())) {
            return "active, ends in " + human(Duration.between(now, p.endDatetime()));
        }
        return "over";
    }

    /** {@code 2d 3h}, {@code 1h 5m}, {@code 4m 10s}, {@code 12s}. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m " + seconds + "s";
        }
        return seconds + "s";
    }

    /** A service refusal as a console error: the message and, for invalid input, every field. */
    static IllegalArgumentException error(KaryoException e) {
        if (e.errors().isEmpty()) {
            return new IllegalArgumentException(e.getMessage());
        }
        return new IllegalArgumentException(
                e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; ")));
    }
}
