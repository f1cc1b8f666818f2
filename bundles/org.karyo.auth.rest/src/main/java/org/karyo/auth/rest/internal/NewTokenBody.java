package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.karyo.api.Validator;

/**
 * The body of {@code POST /auth/tokens}: {@code {username, name, rights: [...], expires_at}}. The token is limited to
 * the listed rights (intersected with the service account's own) and expires at {@code expires_at} (ISO-8601 with an
 * offset).
 */
public record NewTokenBody(String username, String name, List<String> rights, Instant expiresAt) {

    /** Checks the body's shape; returns the rights, trimmed and without duplicates. */
    Set<String> validatedRights() {
        Validator v = new Validator();
        v.check(username != null && !username.isBlank(), "username", "is required");
        v.check(name != null && !name.isBlank(), "name", "is required");
        Set<String> out = new LinkedHashSet<>();
        if (rights == null || rights.isEmpty()) {
            v.check(false, "rights", "must name at least one right");
        } else {
            for (int i = 0; i < rights.size(); i++) {
                String r = rights.get(i);
                v.check(r != null && !r.isBlank(), "rights[" + i + "]", "must be a right's key");
                if (r != null && !r.isBlank()) {
                    out.add(r.strip());
                }
            }
        }
        v.required(expiresAt, "expires_at");
        v.throwIfInvalid();
        return out;
    }
}
