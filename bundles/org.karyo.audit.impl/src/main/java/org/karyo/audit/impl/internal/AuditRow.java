package org.karyo.audit.impl.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.karyo.api.audit.AuditEvent;
import org.karyo.audit.api.AuditEntry;

/**
 * One row of {@code audit_log} as stored (the outcome as its stored text, hashes as bytes). The hash covers every
 * field except {@link #hash()} itself: see {@link ChainHash}.
 */
record AuditRow(
        long seq,
        Instant at,
        String actorId,
        String impersonatorId,
        boolean serviceAccount,
        String action,
        String objectType,
        String objectId,
        String outcome,
        SortedMap<String, String> details,
        String requestId,
        String clientAddress,
        byte[] prevHash,
        byte[] hash) {

    AuditRow {
        details = Collections.unmodifiableSortedMap(new TreeMap<>(details));
    }

    /** This row with its hash set. */
    AuditRow withHash(byte[] h) {
        return new AuditRow(
                seq,
                at,
                actorId,
                impersonatorId,
                serviceAccount,
                action,
                objectType,
                objectId,
                outcome,
                details,
                requestId,
                clientAddress,
                prevHash,
                h);
    }

    /** The api form. */
    AuditEntry toEntry() {
        HexFormat hex = HexFormat.of();
        return new AuditEntry(
                seq,
                at,
                actorId,
                impersonatorId,
                serviceAccount,
                action,
                objectType,
                objectId,
                AuditEvent.Outcome.valueOf(outcome),
                details,
                requestId,
                clientAddress,
                hex.formatHex(prevHash),
                hex.formatHex(hash));
    }
}
