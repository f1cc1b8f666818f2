package org.karyo.accesses.api;

import java.util.Optional;

/** Access list filters (Cohort360's). */
public record AccessQuery(
        Optional<Long> perimeterId,
        boolean includeParents,
        boolean includeChildren,
        Optional<Long> roleId,
        Optional<Long> profileId,
        Optional<String> userId,
        Optional<String> source,
        Optional<Boolean> valid) {
    public static final AccessQuery ALL = new AccessQuery(
            Optional.empty(),
            false,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
}
