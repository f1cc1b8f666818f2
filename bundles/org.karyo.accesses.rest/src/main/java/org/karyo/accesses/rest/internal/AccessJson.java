package org.karyo.accesses.rest.internal;

import java.time.Instant;
import java.util.Optional;
import org.karyo.accesses.api.Access;

/**
 * An access (a profile holds a role on a perimeter during [start, end)) with Cohort360's field names.
 *
 * @param id the access's id
 * @param profileId the profile that holds it
 * @param userId the user's opaque id
 * @param username the user's login name
 * @param role the role
 * @param perimeter the node; null when the node was removed
 * @param startDatetime when it starts
 * @param endDatetime when it ends (exclusive)
 * @param source {@code Manual}, or a synchronised source
 * @param isValid start ≤ now &lt; end
 * @param editable whether the caller may change it
 * @param createdBy who granted it (opaque user id)
 * @param updatedBy who changed it last (opaque user id)
 * @param createdAt when it was created
 * @param updatedAt when it was changed last
 */
record AccessJson(
        long id,
        long profileId,
        String userId,
        String username,
        IdName role,
        Optional<IdName> perimeter,
        Instant startDatetime,
        Instant endDatetime,
        String source,
        boolean isValid,
        boolean editable,
        Optional<String> createdBy,
        Optional<String> updatedBy,
        Instant createdAt,
        Instant updatedAt) {

    static AccessJson of(Access a) {
        return new AccessJson(
                a.id(),
                a.profileId(),
                a.userId(),
                a.username(),
                new IdName(a.roleId(), a.roleName()),
                a.perimeterId().map(id -> new IdName(id, a.perimeterName().orElse(null))),
                a.start(),
                a.end(),
                a.source(),
                a.valid(),
                a.editable(),
                a.createdBy(),
                a.updatedBy(),
                a.createdAt(),
                a.updatedAt());
    }
}
