package org.karyo.auth.api;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A service account's API token (its secret is shown once and stored hashed).
 *
 * @param id the token's opaque id
 * @param username the service account it authenticates
 * @param name what it is for
 * @param rights the rights it is limited to (intersected with the account's own rights)
 * @param prefix the first characters of the secret, to recognise it
 */
public record ApiToken(
        String id,
        String username,
        String name,
        Set<String> rights,
        String prefix,
        Instant createdAt,
        Instant expiresAt,
        Optional<Instant> revokedAt,
        Optional<Instant> lastUsedAt) {}
