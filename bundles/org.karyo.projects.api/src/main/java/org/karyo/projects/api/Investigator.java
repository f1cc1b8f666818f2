package org.karyo.projects.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * A principal investigator (EBDMS {@code PrincipalInvestigator}) of an institution. Staff contact data, not
 * participant data.
 *
 * @param id the investigator's id
 * @param institutionId the institution; never changes
 * @param firstName the given name
 * @param lastName the family name; first and last name are unique within the institution (any case)
 * @param email the e-mail address, or {@code null}
 * @param phone the phone number (digits, spaces, an optional leading {@code +}), or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version its version, the {@code ETag}
 */
public record Investigator(
        long id,
        long institutionId,
        String firstName,
        String lastName,
        @Nullable String email,
        @Nullable String phone,
        Instant createdAt,
        Instant updatedAt,
        long version) {}
