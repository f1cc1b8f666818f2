package org.karyo.accesses.rest.internal;

import org.karyo.api.json.Nullable;

/**
 * {@code POST /api/accesses/perimeters}: a node to add.
 *
 * @param localId its unique external identifier (required)
 * @param name its display name (required)
 * @param shortName a short name
 * @param sourceValue the source system's value
 * @param typeSourceValue the level type, a lower-case word such as {@code hospital} (required)
 * @param parentId the parent node; the site root when absent
 * @param cohortId the node's virtual cohort
 */
record NewPerimeterBody(
        String localId,
        String name,
        @Nullable String shortName,
        @Nullable String sourceValue,
        String typeSourceValue,
        @Nullable Long parentId,
        @Nullable String cohortId) {}
