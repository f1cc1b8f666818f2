package org.karyo.accesses.api;

import java.util.List;
import java.util.Optional;

/** Perimeter list filters (Cohort360's; every list is "any of"). */
public record PerimeterQuery(
        Optional<String> search,
        List<String> types,
        List<Long> parentIds,
        List<String> localIds,
        List<String> sourceValues,
        List<String> cohortIds) {
    public static final PerimeterQuery ALL =
            new PerimeterQuery(Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of());
}
