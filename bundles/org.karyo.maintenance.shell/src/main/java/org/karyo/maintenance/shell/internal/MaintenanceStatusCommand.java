package org.karyo.maintenance.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceService;

/** {@code karyo:maintenance-status}: the active phases and the next upcoming one. */
@Command(
        scope = "karyo",
        name = "maintenance-status",
        description = "Shows the active maintenance phases (partial: writes refused; full: every request refused) and"
                + " the next upcoming one, with their times in UTC.")
@Service
public class MaintenanceStatusCommand implements Action {

    @Reference
    MaintenanceService maintenance;

    @Reference
    ConsoleIdentity identity;

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Object execute() {
        Caller caller = ConsoleCaller.current(identity);
        Instant now = clock.instant();
        List<MaintenancePhase> active = maintenance.current(caller);
        List<MaintenancePhase> upcoming = maintenance
                .list(
                        caller,
                        new MaintenanceQuery(now, null, Set.of(), false, null),
                        new PageRequest(1, 0, List.of(new Sort("start_datetime", false))))
                .results();
        if (active.isEmpty()) {
            out.println("No maintenance phase is active.");
        } else {
            out.println("Active:");
            Phases.print(active, now, out);
        }
        if (upcoming.isEmpty()) {
            out.println("No maintenance phase is planned.");
        } else {
            out.println("Next:");
            Phases.print(upcoming, now, out);
        }
        return null;
    }
}
