package org.karyo.projects.api;

import java.time.LocalDate;
import org.karyo.api.json.Nullable;

/**
 * A project to create under an institution (the caller needs {@link ProjectRights#PROJECT_MANAGE} on the
 * institution's node).
 *
 * @param institutionId the institution
 * @param investigatorId its principal investigator, of the same institution
 * @param code 1 to 8 letters or digits, unique (any case); it cannot change later
 * @param name at most 255 characters, unique (any case)
 * @param description at most 10,000 characters, or {@code null}
 * @param status {@code null} for {@link ProjectStatus#ACTIVE}
 * @param startDate required
 * @param endDate not before the start date; required when the status is {@link ProjectStatus#INACTIVE}
 */
public record NewProject(
        long institutionId,
        long investigatorId,
        String code,
        String name,
        @Nullable String description,
        @Nullable ProjectStatus status,
        LocalDate startDate,
        @Nullable LocalDate endDate) {}
