package org.karyo.accesses.rest.internal;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * {@code POST /api/accesses/accesses}: grant a role on a perimeter to a user, named by {@code username} (Cohort360's
 * {@code provider_username} is accepted too; a manual profile is created when the user has none) or by
 * {@code profile_id}. {@code start_datetime} defaults to now, {@code end_datetime} to start + 365 days.
 *
 * @param profileId the profile to grant it to (or give {@code username})
 * @param username the user to grant it to (or give {@code profile_id})
 * @param roleId the role
 * @param perimeterId the node
 * @param startDatetime when it starts (ISO-8601 instant; not in the past)
 * @param endDatetime when it ends (ISO-8601 instant; after the start)
 */
record NewAccessBody(
        @Nullable Long profileId,
        @Nullable @JsonAlias("provider_username") String username,
        long roleId,
        long perimeterId,
        @Nullable Instant startDatetime,
        @Nullable Instant endDatetime) {}
