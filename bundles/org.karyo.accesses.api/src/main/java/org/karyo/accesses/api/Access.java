package org.karyo.accesses.api;

import java.time.Instant;
import java.util.Optional;

/**
 * An access: a profile holds a role on a perimeter node during [start, end).
 *
 * @param valid start ≤ now &lt; end
 * @param editable whether the caller may change it (Cohort360's manage rules)
 */
public record Access(
        long id,
        long profileId,
        String userId,
        String username,
        long roleId,
        String roleName,
        Optional<Long> perimeterId,
        Optional<String> perimeterName,
        Instant start,
        Instant end,
        String source,
        boolean valid,
        boolean editable,
        Optional<String> createdBy,
        Optional<String> updatedBy,
        Instant createdAt,
        Instant updatedAt) {}
