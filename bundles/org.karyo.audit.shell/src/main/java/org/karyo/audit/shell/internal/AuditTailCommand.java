package org.karyo.audit.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.AuditService;

/**
 * {@code karyo:audit-tail}: the most recent audit entries, oldest of them first. Runs as the Karyo user the console
 * user is mapped to, who needs {@value AuditService#READ_RIGHT}.
 */
@Service
@Command(
        scope = "karyo",
        name = "audit-tail",
        description = "Prints the most recent audit entries (needs the right accesses.full_admin)",
        detailedDescription = "Example: karyo:audit-tail -n 50 --action 'auth.login.*'")
public class AuditTailCommand implements Action {

    private static final int DETAILS_WIDTH = 60;

    @Reference
    AuditService audit;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--lines", aliases = "-n", description = "How many entries to print (default 20)")
    int lines = PageRequest.DEFAULT_LIMIT;

    @Option(name = "--actor", aliases = "-u", description = "Only entries done by this user id")
    String actor;

    @Option(
            name = "--action",
            aliases = "-a",
            description = "Only entries with this action, or with actions that start with it when it ends with *"
                    + " (e.g. 'auth.login.*')")
    String action;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<AuditEntry> page;
        try {
            Caller caller = identity.resolve(ShellUtil.getCurrentUserName());
            page = audit.list(
                    caller,
                    new AuditQuery(blankToNull(actor), blankToNull(action), null, null, null, null, null),
                    new PageRequest(lines, 0, AuditQuery.DEFAULT_ORDERING));
        } catch (KaryoException e) {
            throw explain(e);
        }
        List<AuditEntry> entries = new ArrayList<>(page.results());
        Collections.reverse(entries); // like tail: the newest last
        ShellTable table = new ShellTable();
        table.column("Seq").alignRight();
        table.column("At");
        table.column("Actor");
        table.column("As");
        table.column("Action");
        table.column("Object");
        table.column("Outcome");
        table.column("Details").maxSize(DETAILS_WIDTH);
        table.column("Request");
        table.column("Client");
        for (AuditEntry e : entries) {
            table.addRow()
                    .addContent(
                            e.seq(),
                            e.at(),
                            e.actorId() + (e.serviceAccount() ? " (service)" : ""),
                            e.impersonatorId() == null ? "" : e.impersonatorId(),
                            e.action(),
                            e.objectType() == null
                                    ? ""
                                    : e.objectType() + (e.objectId() == null ? "" : " " + e.objectId()),
                            e.outcome(),
                            e.details().isEmpty() ? "" : e.details().toString(),
                            e.requestId() == null ? "" : e.requestId(),
                            e.clientAddress() == null ? "" : e.clientAddress());
        }
        table.print(out);
        out.printf("%d of %d entries shown%n", entries.size(), page.count());
    }

    private static IllegalArgumentException explain(KaryoException e) {
        if (e.errors().isEmpty()) {
            return new IllegalArgumentException(e.getMessage(), e);
        }
        return new IllegalArgumentException(
                e.errors().stream().map(AuditTailCommand::describe).collect(Collectors.joining("; ")), e);
    }

    private static String describe(FieldError f) {
        String option =
                switch (f.field()) {
                    case "limit" -> "--lines";
                    case "actor" -> "--actor";
                    case "action" -> "--action";
                    default -> f.field();
                };
        return option + " " + f.message();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
