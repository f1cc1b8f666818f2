package org.karyo.accesses.rest.internal;

import org.karyo.accesses.api.RoleService.RoleHolder;

/**
 * A user holding a role through a valid access ({@code GET /api/accesses/roles/{id}/users}).
 *
 * @param userId the user's opaque id
 * @param username the user's login name
 * @param displayName "First Last (username)"
 * @param perimeterId the node of the access
 * @param perimeterName that node's name
 */
record RoleHolderJson(String userId, String username, String displayName, long perimeterId, String perimeterName) {

    static RoleHolderJson of(RoleHolder h) {
        return new RoleHolderJson(h.userId(), h.username(), h.displayName(), h.perimeterId(), h.perimeterName());
    }
}
