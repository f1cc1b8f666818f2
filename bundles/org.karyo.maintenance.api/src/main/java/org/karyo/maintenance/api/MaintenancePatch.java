package org.karyo.maintenance.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * A partial update (HTTP PATCH) of a maintenance phase: a {@code null} (or absent) member leaves the field unchanged.
 * An empty {@code message} clears the message. The result must satisfy the same rules as a new phase.
 *
 * @param subject the new subject, or {@code null}
 * @param message the new message, {@code ""} to clear it, or {@code null}
 * @param type the new type ({@code partial} or {@code full}), or {@code null}
 * @param startDatetime the new start, or {@code null}
 * @param endDatetime the new end, or {@code null}
 */
public record MaintenancePatch(
        @Nullable String subject,
        @Nullable String message,
        @Nullable String type,
        @Nullable Instant startDatetime,
        @Nullable Instant endDatetime) {

    /** A patch that only moves the end, as {@code karyo:maintenance-stop} does. */
    public static MaintenancePatch endAt(Instant end) {
        return new MaintenancePatch(null, null, null, null, end);
    }
}
