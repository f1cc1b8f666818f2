package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.module.ModuleRegistry;
import org.karyo.api.module.ModuleStatus;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleService;

/** {@code karyo:module-list}. */
@Command(
        scope = "karyo",
        name = "module-list",
        description = "Lists the Karyo modules: installed, desired, schema state and version.",
        detailedDescription =
                "Lists Karyo's domain modules: every karyo-* feature of the features repositories (other than"
                        + " karyo-core and karyo-tp), whether it is installed now, whether the platform wants it (features"
                        + " in etc/org.karyo.modules.cfg, or KARYO_FEATURES, at start; then installs and uninstalls at"
                        + " runtime), the state of its database schema (MIGRATING, ACTIVE or FAILED, with the migrated"
                        + " version) and the feature's version.")
@Service
public class ModuleListCommand implements Action {

    @Reference
    ModuleService modules;

    @Reference(optional = true)
    ModuleRegistry registry;

    @Option(name = "--no-format", description = "Prints the table without borders or alignment (for scripts).")
    boolean noFormat;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<ModuleInfo> all = modules.list();
        Map<String, ModuleStatus> schemas = registry == null
                ? Map.of()
                : registry.modules().stream()
                        .collect(Collectors.toMap(ModuleStatus::module, Function.identity(), (a, b) -> a));
        ShellTable table = new ShellTable().emptyTableText("No Karyo modules in the features repositories.");
        table.column("Feature");
        table.column("Module");
        table.column("Installed");
        table.column("Desired");
        table.column("Schema");
        table.column("Version");
        for (ModuleInfo m : all) {
            table.addRow()
                    .addContent(
                            m.feature(),
                            m.module(),
                            yesNo(m.installed()),
                            yesNo(m.desired()),
                            schema(schemas.get(m.module())),
                            m.version());
        }
        table.print(out, !noFormat);
        if (registry == null) {
            out.println("Schema states are unknown: the module registry (bundle org.karyo.db) is not running.");
        }
        for (ModuleInfo m : all) {
            ModuleStatus s = schemas.get(m.module());
            if (s != null && s.detail() != null) {
                out.println(m.module() + ": " + s.detail());
            }
        }
    }

    private String schema(ModuleStatus status) {
        if (registry == null) {
            return "?";
        }
        if (status == null) {
            return "-";
        }
        return status.schemaVersion() == null ? status.state().name() : status.state() + " v" + status.schemaVersion();
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
