package org.karyo.maintenance.api;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Maintenance phases: storage and the "what is going on now" questions. While a phase is active the platform refuses
 * writes ({@code partial}) or every request ({@code full}), except on {@code /maintenances}, {@code /health} and
 * {@code /auth}; the implementation enforces that with a {@link org.karyo.api.gate.RequestGate}.
 *
 * <p>Failures are {@link KaryoException}s: {@code INVALID} naming the JSON fields, {@code NOT_FOUND} for an unknown
 * or deleted id, {@code PRECONDITION_FAILED} for a stale expected version.
 */
@ProviderType
public interface MaintenanceService {

    /** The longest subject. */
    int MAX_SUBJECT = 255;

    /** The longest message. */
    int MAX_MESSAGE = 5000;

    /** The fields a list may be ordered by. */
    Set<String> ORDERABLE = Set.of("start_datetime", "end_datetime", "subject", "created_at");

    /** The ordering of a list when the client gives none: latest start first. */
    List<Sort> DEFAULT_ORDERING = List.of(new Sort("start_datetime", true));

    /** One page of the phases that match {@code query}; soft-deleted phases are never listed. */
    Page<MaintenancePhase> list(Caller caller, MaintenanceQuery query, PageRequest page);

    /** One phase; NOT_FOUND when it does not exist or was deleted. */
    MaintenancePhase get(Caller caller, long id);

    /** Creates a phase; it takes effect at its start without further action. */
    MaintenancePhase create(Caller caller, NewMaintenancePhase request);

    /**
     * Changes the given fields of a phase.
     *
     * @param expectedVersion the version the caller last saw (HTTP If-Match), or empty to skip the check
     */
    MaintenancePhase update(Caller caller, long id, MaintenancePatch patch, OptionalLong expectedVersion);

    /**
     * Deletes a phase (soft delete: it disappears from every answer and stops refusing requests at once).
     *
     * @param expectedVersion the version the caller last saw (HTTP If-Match), or empty to skip the check
     */
    void delete(Caller caller, long id, OptionalLong expectedVersion);

    /**
     * The phase a client should announce: the active phase with the latest end, else the upcoming phase with the
     * earliest start, else empty.
     */
    Optional<MaintenancePhase> next(Caller caller);

    /** The phases active now, latest end first. */
    List<MaintenancePhase> current(Caller caller);
}
