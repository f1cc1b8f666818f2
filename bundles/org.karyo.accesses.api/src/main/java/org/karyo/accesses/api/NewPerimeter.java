package org.karyo.accesses.api;

import java.util.Optional;

/**
 * A node to add under {@code parentId} (under the site root when empty: {@link PerimeterService#root()}). {@code type} is a lower-case word such as {@code hospital}. */
public record NewPerimeter(
        String localId,
        String name,
        Optional<String> shortName,
        Optional<String> sourceValue,
        String type,
        Optional<Long> parentId,
        Optional<String> cohortId) {}
