package org.karyo.accesses.rest.internal;

import java.time.Instant;
import org.karyo.accesses.api.Profile;

/**
 * A profile as {@code GET /api/accesses/profiles} lists it.
 *
 * @param id the profile's id (what {@code profile_id} names)
 * @param userId the user's opaque id
 * @param username the user's login name
 * @param source where the profile comes from ({@code Manual}, or a synchronised source)
 * @param isActive whether its accesses grant anything
 * @param createdAt when it was created
 */
record ProfileJson(long id, String userId, String username, String source, boolean isActive, Instant createdAt) {

    static ProfileJson of(Profile p) {
        return new ProfileJson(p.id(), p.userId(), p.username(), p.source(), p.active(), p.createdAt());
    }
}
