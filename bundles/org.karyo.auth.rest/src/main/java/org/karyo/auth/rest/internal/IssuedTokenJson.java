package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.List;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.ApiTokenService.IssuedToken;

/**
 * A token just created: the fields of {@link ApiTokenJson} plus {@code secret}, the only time the secret is shown. The
 * client sends it as {@code Authorization: Bearer <secret>}.
 */
public record IssuedTokenJson(
        String id,
        String username,
        String name,
        List<String> rights,
        String prefix,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant revokedAt,
        @Nullable Instant lastUsedAt,
        String secret) {

    static IssuedTokenJson of(IssuedToken issued) {
        ApiTokenJson t = ApiTokenJson.of(issued.token());
        return new IssuedTokenJson(
                t.id(),
                t.username(),
                t.name(),
                t.rights(),
                t.prefix(),
                t.createdAt(),
                t.expiresAt(),
                t.revokedAt(),
                t.lastUsedAt(),
                issued.secret());
    }

    @Override
    public String toString() {
        return "IssuedTokenJson[id=" + id + "]";
    }
}
