package org.karyo.maintenance.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.NewMaintenancePhase;

/** {@code karyo:maintenance-start}: starts a maintenance phase now. */
@Command(
        scope = "karyo",
        name = "maintenance-start",
        description = "Starts a maintenance phase now. While it lasts, partial refuses every write to the API (503) and"
                + " full refuses every request; /api/maintenances, /api/health and /api/auth stay open. The phase ends"
                + " on its own after --minutes (default 30) or at --until; karyo:maintenance-stop ends it earlier.")
@Service
public class MaintenanceStartCommand implements Action {

    static final int DEFAULT_MINUTES = 30;

    @Reference
    MaintenanceService maintenance;

    @Reference
    ConsoleIdentity identity;

    @Option(
            name = "--type",
            aliases = {"-t"},
            description = "partial (writes refused; the default) or full (every request refused)")
    @Completion(
            value = StringsCompleter.class,
            values = {"partial", "full"})
    String type = "partial";

    @Option(
            name = "--minutes",
            aliases = {"-m"},
            description = "How long the phase lasts, in minutes (default 30). Not together with --until.")
    Integer minutes;

    @Option(
            name = "--until",
            aliases = {"-u"},
            description = "When the phase ends, as an ISO-8601 instant such as 2030-01-31T18:00:00Z. Not together"
                    + " with --minutes.")
    String until;

    @Option(name = "--message", description = "A longer text shown to users while the phase is active")
    String message;

    @Argument(
            index = 0,
            name = "subject",
            description = "A short title shown to users, for example \"Database upgrade\" (quote it if it has spaces)",
            required = true)
    String subject;

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Object execute() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant end = end(now);
        MaintenancePhase p;
        try {
            p = maintenance.create(
                    ConsoleCaller.current(identity), new NewMaintenancePhase(subject, message, type, now, end));
        } catch (KaryoException e) {
            throw Phases.error(e);
        }
        out.println("Maintenance phase " + p.id() + " (" + p.type() + ") started:");
        Phases.print(List.of(p), clock.instant(), out);
        return null;
    }

    private Instant end(Instant now) {
        if (minutes != null && until != null) {
            throw new IllegalArgumentException("give either --minutes or --until, not both");
        }
        if (until != null) {
            try {
                return OffsetDateTime.parse(until.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--until must be an ISO-8601 instant such as 2030-01-31T18:00:00Z, not '" + until + "'");
            }
        }
        int m = minutes == null ? DEFAULT_MINUTES : minutes;
        if (m < 1) {
            throw new IllegalArgumentException("--minutes must be at least 1");
        }
        return now.plus(m, ChronoUnit.MINUTES);
    }
}
