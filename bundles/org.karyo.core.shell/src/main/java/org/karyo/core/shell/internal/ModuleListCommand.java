package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
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
                        + " runtime; always with the modules those need), the state of its database schema (MIGRATING,"
                        + " ACTIVE or FAILED, with the migrated version), the feature's version and the installed"
                        + " modules that need it (while they are installed it cannot be uninstalled). Changes that are"
                        + " queued or running are listed below the table.")
@Service
public class ModuleListCommand implements Action {

    @Reference
    ModuleService modules;

    @Option(name = "--no-format", description = "Prints the table without borders or alignment (for scripts).")
    boolean noFormat;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<ModuleInfo> all = modules.list();
        ShellTable table = new ShellTable().emptyTableText("No Karyo modules in the features repositories.");
        table.column("Feature");
        table.column("Module");
        table.column("Installed");
        table.column("Desired");
        table.column("Schema");
        table.column("Version");
        table.column("Needed by");
        for (ModuleInfo m : all) {
            table.addRow()
                    .addContent(
                            m.feature(),
                            m.module(),
                            yesNo(m.installed()),
                            yesNo(m.desired()),
                            schema(m.schema()),
                            m.version(),
                            m.requiredBy().isEmpty() ? "-" : String.join(", ", m.requiredBy()));
        }
        table.print(out, !noFormat);
        for (ModuleInfo m : all) {
            ModuleStatus s = m.schema();
            if (s != null && s.detail() != null) {
                out.println(m.module() + ": " + s.detail());
            }
        }
        all.stream()
                .map(ModuleInfo::lastChange)
                .filter(c -> c != null && !c.finished())
                .distinct()
                .forEach(c -> out.println("Change " + c.id() + " ("
                        + c.operation().name().toLowerCase(Locale.ROOT) + " " + String.join(", ", c.features())
                        + ") is "
                        + c.state().name().toLowerCase(Locale.ROOT)));
    }

    private static String schema(ModuleStatus status) {
        if (status == null) {
            return "-";
        }
        return status.schemaVersion() == null ? status.state().name() : status.state() + " v" + status.schemaVersion();
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
