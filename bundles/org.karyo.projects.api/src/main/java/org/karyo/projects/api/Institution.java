package org.karyo.projects.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * An institution that runs projects (EBDMS {@code Institution}), with its node in the perimeter tree (type
 * {@code institution}) under which its projects' nodes hang.
 *
 * @param id the institution's id
 * @param code its unique short code, 1 to 12 letters or digits, the first part of participant identifiers; never
 *     changes
 * @param name its name; unique together with the department
 * @param department its department, or {@code null}
 * @param address its postal address (unique), or {@code null}
 * @param perimeterId its perimeter node
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version its version, the {@code ETag}
 */
public record Institution(
        long id,
        String code,
        String name,
        @Nullable String department,
        @Nullable String address,
        long perimeterId,
        Instant createdAt,
        Instant updatedAt,
        long version) {}
