package org.karyo.api.security;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link AccessControl} sees of a request, before its body is read: the HTTP method, the matched operation's
 * path template below {@code /api} (never the concrete path, which may carry names) and the headers (the first value
 * of each, names compared without case).
 *
 * @param method the HTTP method
 * @param operation the matched operation's template, e.g. {@code /users/{username}}; {@code (unmatched)} when none
 * @param headers the request's headers
 */
public record AccessRequest(String method, String operation, Map<String, String> headers) {
    public AccessRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(operation, "operation");
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        headers = Collections.unmodifiableMap(h);
    }

    /** The header's value, or {@code null} when the request does not carry it. */
    public String header(String name) {
        return headers.get(name);
    }
}
