package org.karyo.maintenance.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceService;

/** {@code karyo:maintenance-stop}: ends every active maintenance phase now. */
@Command(
        scope = "karyo",
        name = "maintenance-stop",
        description = "Ends every active maintenance phase now (sets its end to now, so it stays in the history) and"
                + " prints what it stopped. Upcoming phases are left alone; delete them with DELETE"
                + " /api/maintenances/{id}.")
@Service
public class MaintenanceStopCommand implements Action {

    @Reference
    MaintenanceService maintenance;

    @Reference
    ConsoleIdentity identity;

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Object execute() {
        Caller caller = ConsoleCaller.current(identity);
        List<MaintenancePhase> stopped = new ArrayList<>();
        for (MaintenancePhase p : maintenance.current(caller)) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            try {
                stopped.add(maintenance.update(caller, p.id(), MaintenancePatch.endAt(now), OptionalLong.empty()));
            } catch (KaryoException e) {
                if (e.kind() != Kind.NOT_FOUND) { // deleted meanwhile: nothing left to stop
                    throw Phases.error(e);
                }
            }
        }
        if (stopped.isEmpty()) {
            out.println("No maintenance phase is active.");
        } else {
            out.println("Stopped " + stopped.size() + " maintenance phase(s):");
            Phases.print(stopped, clock.instant(), out);
        }
        return null;
    }
}
