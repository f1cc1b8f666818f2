package org.karyo.maintenance.api;

import java.time.Instant;
import java.util.Set;

/**
 * The filters of a maintenance phase list; every member is optional ({@code null} or empty means no filter).
 *
 * @param minStartDatetime only phases starting at or after this instant
 * @param maxEndDatetime only phases ending at or before this instant
 * @param types only phases of one of these types
 * @param active only phases that are (true) or are not (false) active now
 * @param search only phases whose subject contains this text, case-insensitively
 */
public record MaintenanceQuery(
        Instant minStartDatetime, Instant maxEndDatetime, Set<MaintenanceType> types, Boolean active, String search) {

    public MaintenanceQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    /** No filter at all. */
    public static MaintenanceQuery all() {
        return new MaintenanceQuery(null, null, Set.of(), null, null);
    }
}
