package org.karyo.projects.api;

import java.time.Instant;
import java.time.LocalDate;
import org.karyo.api.json.Nullable;

/**
 * A research project (EBDMS {@code Project}), a perimeter node of type {@code project} under its institution's node.
 *
 * @param id the project's id
 * @param code its unique short code, 1 to 8 letters or digits, the second part of participant identifiers; never
 *     changes
 * @param name its unique name
 * @param description what it is about, or {@code null}
 * @param status its status
 * @param startDate when it starts
 * @param endDate when it ends, or {@code null}; required when {@link ProjectStatus#INACTIVE}
 * @param active whether it is active today (UTC): {@link ProjectStatus#ACTIVE} and no end date or one after today
 * @param institutionId the institution that runs it; never changes
 * @param institutionCode that institution's code
 * @param investigatorId its principal investigator, of the same institution
 * @param perimeterId its perimeter node
 * @param participantCount how many participants it has
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version its version, the {@code ETag}
 */
public record Project(
        long id,
        String code,
        String name,
        @Nullable String description,
        ProjectStatus status,
        LocalDate startDate,
        @Nullable LocalDate endDate,
        boolean active,
        long institutionId,
        String institutionCode,
        long investigatorId,
        long perimeterId,
        long participantCount,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /** What other modules see of this project. */
    public ProjectRef ref() {
        return new ProjectRef(id, code, name, perimeterId, institutionId, active);
    }
}
