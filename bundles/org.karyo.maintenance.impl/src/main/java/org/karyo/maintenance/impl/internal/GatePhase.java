package org.karyo.maintenance.impl.internal;

import java.time.Instant;
import org.karyo.maintenance.api.MaintenanceType;

/**
 * A phase as the gate keeps it in memory.
 *
 * @param id the phase's id (the only thing about a phase that is logged)
 * @param subject shown to refused clients
 * @param message shown to refused clients, or {@code null}
 * @param type what the phase refuses
 * @param start inclusive
 * @param end exclusive
 */
record GatePhase(long id, String subject, String message, MaintenanceType type, Instant start, Instant end) {

    boolean activeAt(Instant now) {
        return !start.isAfter(now) && now.isBefore(end);
    }

    /** Whether this phase, while active, refuses a request that writes ({@code write}) or only reads. */
    boolean refuses(boolean write) {
        return type == MaintenanceType.FULL || write;
    }
}
