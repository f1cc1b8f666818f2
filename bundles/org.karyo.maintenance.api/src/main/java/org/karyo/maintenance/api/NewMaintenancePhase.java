package org.karyo.maintenance.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * The request to create a maintenance phase. The service validates it and names every invalid field.
 *
 * @param subject required, at most {@value MaintenanceService#MAX_SUBJECT} characters
 * @param message optional, at most {@value MaintenanceService#MAX_MESSAGE} characters
 * @param type {@code partial} or {@code full}; {@code null} means {@code partial}
 * @param startDatetime required
 * @param endDatetime required, not before {@code startDatetime}
 */
public record NewMaintenancePhase(
        String subject, @Nullable String message, @Nullable String type, Instant startDatetime, Instant endDatetime) {}
