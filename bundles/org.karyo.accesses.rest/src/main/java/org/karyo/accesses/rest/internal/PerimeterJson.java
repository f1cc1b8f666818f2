package org.karyo.accesses.rest.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import org.karyo.accesses.api.Perimeter;

/**
 * A node of the perimeter tree with Cohort360's field names.
 *
 * @param id the node's id
 * @param localId its unique external identifier
 * @param name display name
 * @param shortName short name
 * @param sourceValue the source system's value
 * @param typeSourceValue the level type ({@code hospital}, {@code project}…)
 * @param parentId the parent node; null for a root
 * @param level depth, root = 1
 * @param aboveLevelsIds every ancestor's id, root first, comma-separated as in Cohort360 ({@code ""} for a root)
 * @param fullPath names from the root, joined by {@code /}
 * @param cohortId the node's virtual cohort, if any
 * @param cohortSize its size, if known
 * @param countAllowedUsers users with a valid access on this node
 * @param countAllowedUsersInferiorLevels users with a valid access on a descendant
 * @param countAllowedUsersAboveLevels users with a valid access on an ancestor
 * @param owner the module that created the node
 * @param createdAt when it was created
 */
record PerimeterJson(
        long id,
        String localId,
        String name,
        String shortName,
        String sourceValue,
        String typeSourceValue,
        Optional<Long> parentId,
        int level,
        String aboveLevelsIds,
        String fullPath,
        Optional<String> cohortId,
        Optional<Long> cohortSize,
        int countAllowedUsers,
        int countAllowedUsersInferiorLevels,
        int countAllowedUsersAboveLevels,
        String owner,
        Instant createdAt) {

    static PerimeterJson of(Perimeter p) {
        return new PerimeterJson(
                p.id(),
                p.localId(),
                p.name(),
                p.shortName(),
                p.sourceValue(),
                p.type(),
                p.parentId(),
                p.level(),
                p.aboveLevelsIds().stream().map(String::valueOf).collect(Collectors.joining(",")),
                p.fullPath(),
                p.cohortId(),
                p.cohortSize(),
                p.countAllowedUsers(),
                p.countAllowedUsersInferiorLevels(),
                p.countAllowedUsersAboveLevels(),
                p.owner(),
                p.createdAt());
    }
}
