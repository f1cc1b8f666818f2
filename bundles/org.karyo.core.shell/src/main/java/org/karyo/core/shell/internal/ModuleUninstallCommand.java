package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.EnvOverrides;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleService;

/** {@code karyo:module-uninstall}. */
@Command(
        scope = "karyo",
        name = "module-uninstall",
        description = "Uninstalls Karyo modules now, with no restart; their data stay.",
        detailedDescription = "Uninstalls Karyo modules now, with no restart: their REST resources, OpenAPI entries and"
                + " console commands go away; their tables and data stay in the database, and module-install"
                + " brings them back. No other bundle is refreshed and the other modules keep serving. The new set"
                + " is written back to features in etc/org.karyo.modules.cfg, so it survives a restart (unless"
                + " KARYO_FEATURES is set, which wins at the next start).")
@Service
public class ModuleUninstallCommand implements Action {

    @Reference
    ModuleService modules;

    @Argument(
            index = 0,
            name = "modules",
            description = "The modules to uninstall, by module or feature name (content or karyo-content);"
                    + " karyo:module-list shows them.",
            required = true,
            multiValued = true)
    @Completion(ModuleNameCompleter.Installed.class)
    List<String> names;

    EnvOverrides env = EnvOverrides.system();

    @Override
    public Object execute() {
        print(modules.uninstall(names), System.out);
        return null;
    }

    void print(ModuleChange change, PrintStream out) {
        change.changed().forEach(f -> out.println("Uninstalled " + f + " (its tables and data stay)"));
        change.unchanged().forEach(f -> out.println(f + " was not installed"));
        Environment.warnIfOverridden(env, !change.changed().isEmpty(), out);
    }
}
