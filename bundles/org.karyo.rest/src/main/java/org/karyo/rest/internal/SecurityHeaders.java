package org.karyo.rest.internal;

import javax.ws.rs.core.MultivaluedMap;

/**
 * The security headers of every API response. A resource that sets one of them itself (the docs page its own
 * Content-Security-Policy, a cacheable asset its Cache-Control) keeps its value.
 */
public final class SecurityHeaders {
    /** Nothing may be loaded, framed or submitted by an API response. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private SecurityHeaders() {}

    public static void apply(MultivaluedMap<String, Object> headers, boolean https) {
        putIfAbsent(headers, "X-Content-Type-Options", "nosniff");
        putIfAbsent(headers, "X-Frame-Options", "DENY");
        putIfAbsent(headers, "Referrer-Policy", "no-referrer");
        putIfAbsent(headers, "Cache-Control", "no-store");
        putIfAbsent(headers, "Content-Security-Policy", API_CSP);
        if (https) {
            putIfAbsent(headers, "Strict-Transport-Security", "max-age=31536000");
        }
    }

    static void putIfAbsent(MultivaluedMap<String, Object> headers, String name, Object value) {
        for (String key : headers.keySet()) {
            if (key.equalsIgnoreCase(name) && !headers.get(key).isEmpty()) {
                return;
            }
        }
        headers.putSingle(name, value);
    }
}
