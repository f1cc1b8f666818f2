package org.karyo.maintenance.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * A maintenance phase as clients see it.
 *
 * @param id the phase's id
 * @param subject a short title, for example "Database upgrade"
 * @param message an optional longer text shown to users, or {@code null}
 * @param type {@code partial} (writes refused) or {@code full} (everything refused); see {@link MaintenanceType}
 * @param startDatetime when the phase starts (inclusive)
 * @param endDatetime when the phase ends (exclusive); never before {@code startDatetime}
 * @param active whether the phase is active at the time of the answer: {@code start <= now < end}
 * @param createdAt when the phase was created
 * @param modifiedAt when the phase was last changed
 * @param version the optimistic-locking version (the ETag)
 */
public record MaintenancePhase(
        long id,
        String subject,
        @Nullable String message,
        String type,
        Instant startDatetime,
        Instant endDatetime,
        boolean active,
        Instant createdAt,
        Instant modifiedAt,
        long version) {}
