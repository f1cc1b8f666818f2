package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.EnvOverrides;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleService;
import org.karyo.core.shell.support.ConsoleCaller;

/** {@code karyo:module-uninstall}. */
@Command(
        scope = "karyo",
        name = "module-uninstall",
        description = "Uninstalls Karyo modules now, with no restart; their data stay.",
        detailedDescription = "Uninstalls Karyo modules now, with no restart: their REST resources, OpenAPI entries and"
                + " console commands go away; their tables and data stay in the database, and module-install"
                + " brings them back. A module that an installed module needs is refused, naming those modules:"
                + " uninstall them first, or in the same command. No other bundle is refreshed and the other modules"
                + " keep serving. Changes run one at a time (the same queue as DELETE /api/modules/{name}); the command"
                + " waits for its own and is recorded in the audit trail. The new set is written back to features in"
                + " etc/org.karyo.modules.cfg, so it survives a restart (unless KARYO_FEATURES is set, which wins at"
                + " the next start).")
@Service
public class ModuleUninstallCommand implements Action {

    @Reference
    ModuleService modules;

    @Reference(optional = true)
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "modules",
            description = "The modules to uninstall, by module or feature name (content or karyo-content);"
                    + " karyo:module-list shows them.",
            required = true,
            multiValued = true)
    @Completion(ModuleNameCompleter.Installed.class)
    List<String> names;

    @Option(
            name = "--wait",
            description = "How long to wait for the change, in seconds (default 600); it goes on after that.")
    long waitSeconds = ModuleChanges.DEFAULT_WAIT_SECONDS;

    EnvOverrides env = EnvOverrides.system();

    @Override
    public Object execute() throws InterruptedException {
        ModuleChange change = ModuleChanges.ask(
                () -> modules.uninstall(ConsoleCaller.currentOrConsoleUser(identity), names), modules, waitSeconds);
        print(change, System.out);
        return null;
    }

    void print(ModuleChange change, PrintStream out) {
        ModuleChanges.print(
                change, f -> "Uninstalled " + f + " (its tables and data stay)", "was not installed", env, out);
    }
}
