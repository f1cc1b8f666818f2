package org.karyo.core.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.tx.Database;
import org.karyo.api.tx.DatabaseStatus;

/** {@code karyo:db-status}. */
@Command(
        scope = "karyo",
        name = "db-status",
        description = "Shows the platform database: up, embedded or external, version, pool.",
        detailedDescription =
                "Checks the platform database now (one round trip) and shows whether it is up, whether it is the"
                        + " embedded PostgreSQL the platform started itself or an external server (KARYO_DB_URL), the"
                        + " server's version, the database name and the connection pool (active, idle, maximum).")
@Service
public class DbStatusCommand implements Action {

    @Reference(optional = true)
    Database database;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        if (database == null) {
            out.println("The database service (org.karyo.api.tx.Database) is not available: the bundle org.karyo.db"
                    + " is not active or the DataSource is not up yet. See log:display.");
            return;
        }
        DatabaseStatus s = database.status();
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("Up", ModuleListCommand.yesNo(s.up()));
        table.addRow().addContent("Embedded", s.embedded() ? "yes (embedded PostgreSQL)" : "no (external server)");
        table.addRow().addContent("Server version", s.version() == null ? "-" : s.version());
        table.addRow().addContent("Database", s.database() == null ? "-" : s.database());
        table.addRow().addContent("Active connections", s.activeConnections());
        table.addRow().addContent("Idle connections", s.idleConnections());
        table.addRow().addContent("Maximum connections", s.maxConnections());
        table.print(out);
    }
}
