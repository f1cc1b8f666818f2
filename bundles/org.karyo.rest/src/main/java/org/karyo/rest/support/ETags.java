package org.karyo.rest.support;

import java.util.OptionalLong;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import org.karyo.api.KaryoException;

/**
 * Optimistic concurrency over HTTP: an object's ETag is its version; a write with {@code If-Match} carrying a stale
 * version fails with 412 (the service compares and throws {@link KaryoException#stale}).
 */
public final class ETags {
    private ETags() {}

    /** The strong ETag of a version. */
    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * The version the client expects from {@code If-Match}: empty when the header is absent or {@code *}.
     *
     * @throws KaryoException of kind INVALID naming {@code If-Match} when the header is not one of our ETags
     */
    public static OptionalLong ifMatch(HttpHeaders headers) {
        String raw = headers == null ? null : headers.getHeaderString(HttpHeaders.IF_MATCH);
        if (raw == null || raw.isBlank() || raw.trim().equals("*")) {
            return OptionalLong.empty();
        }
        String v = raw.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw KaryoException.invalid("If-Match", "must be an ETag returned by this API, for example \"3\"");
        }
    }
}
