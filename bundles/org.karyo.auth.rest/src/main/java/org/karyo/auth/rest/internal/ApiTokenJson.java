package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.List;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.ApiToken;

/**
 * A service-account API token on the wire, without its secret (which is shown once, at creation, and stored hashed).
 *
 * @param prefix the first characters of the secret, to recognise it
 * @param rights the rights it is limited to, sorted
 */
public record ApiTokenJson(
        String id,
        String username,
        String name,
        List<String> rights,
        String prefix,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant revokedAt,
        @Nullable Instant lastUsedAt) {

    static ApiTokenJson of(ApiToken t) {
        return new ApiTokenJson(
                t.id(),
                t.username(),
                t.name(),
                t.rights().stream().sorted().toList(),
                t.prefix(),
                t.createdAt(),
                t.expiresAt(),
                t.revokedAt().orElse(null),
                t.lastUsedAt().orElse(null));
    }
}
