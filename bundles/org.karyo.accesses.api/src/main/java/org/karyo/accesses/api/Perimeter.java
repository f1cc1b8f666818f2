package org.karyo.accesses.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A node of the perimeter tree (Cohort360's {@code Perimeter}): an institution, hospital, department, centre,
 * organisation, project, study…
 *
 * @param id the node's id
 * @param localId unique external identifier (Cohort360 {@code local_id})
 * @param name display name
 * @param shortName short name
 * @param sourceValue the source system's value
 * @param type the level type ({@code type_source_value}), e.g. {@code institution}, {@code hospital}, {@code project}
 * @param parentId the parent node; empty for a root
 * @param level depth, root = 1
 * @param aboveLevelsIds every ancestor, root first
 * @param fullPath names from the root, joined by {@code /}
 * @param cohortId the node's virtual cohort, if any
 * @param cohortSize its size, if known
 * @param countAllowedUsers users with a valid access on this node
 * @param countAllowedUsersInferiorLevels users with a valid access on a descendant
 * @param countAllowedUsersAboveLevels users with a valid access on an ancestor
 * @param owner the module that created the node ({@code accesses} for admin-made nodes, {@code projects}…)
 */
public record Perimeter(
        long id,
        String localId,
        String name,
        String shortName,
        String sourceValue,
        String type,
        Optional<Long> parentId,
        int level,
        List<Long> aboveLevelsIds,
        String fullPath,
        Optional<String> cohortId,
        Optional<Long> cohortSize,
        int countAllowedUsers,
        int countAllowedUsersInferiorLevels,
        int countAllowedUsersAboveLevels,
        String owner,
        Instant createdAt) {}
