package org.karyo.audit.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.audit.api.AuditService;
import org.karyo.audit.api.VerifyReport;

/** {@code karyo:audit-verify}: walks the audit chain and its signed checkpoints. */
@Service
@Command(
        scope = "karyo",
        name = "audit-verify",
        description = "Verifies the audit trail: every entry's hash and link, and every signed checkpoint",
        detailedDescription = "Walks the hash-chained audit trail in order, recomputing each entry's hash and its link"
                + " to the previous entry, and checks each checkpoint of the checkpoint file (its HMAC, and that the"
                + " entry it signed still carries the signed hash). Prints the number of entries and checkpoints"
                + " checked. When the chain is broken it prints the first broken entry and why, and the command fails"
                + " (a non-zero exit status from bin/client).")
public class AuditVerifyCommand implements Action {

    @Reference
    AuditService audit;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        VerifyReport r = audit.verify();
        out.printf("Entries checked:     %d%n", r.entries());
        out.printf("Checkpoints checked: %d%n", r.checkpointsChecked());
        if (r.ok()) {
            out.println("Audit chain: OK");
            if (r.reason() != null) {
                out.println("Note: " + r.reason());
            }
            return;
        }
        out.printf("Audit chain: BROKEN at entry %d%n", r.firstBrokenSeq());
        throw new IllegalStateException(
                "ERROR: the audit chain is broken at entry " + r.firstBrokenSeq() + ": " + r.reason());
    }
}
