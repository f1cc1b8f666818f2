package org.karyo.rest.internal;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import javax.ws.rs.core.MultivaluedMap;

/**
 * The CORS allow-list. An empty list means no CORS headers at all; {@code *} allows every origin (without
 * credentials). A disallowed origin gets no CORS headers, so that the browser refuses the response.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, X-Request-Id";
    static final String EXPOSED_HEADERS = "Location, ETag, X-Request-Id, Retry-After";

    private final Set<String> origins;
    private final boolean any;
    private final int maxAgeSeconds;

    Cors(Set<String> origins, int maxAgeSeconds) {
        this.origins = Set.copyOf(origins);
        this.any = origins.contains("*");
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /**
     * Parses the comma-separated allow-list.
     *
     * @throws IllegalArgumentException naming an entry that is neither {@code *} nor an origin
     *     ({@code scheme://host[:port]})
     */
    static Cors parse(String raw, int maxAgeSeconds) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : Settings.list(raw)) {
            if (entry.equals("*")) {
                out.add("*");
                continue;
            }
            String normal = normalise(entry);
            if (normal == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an origin such as https://app.example.org");
            }
            out.add(normal);
        }
        return new Cors(out, maxAgeSeconds);
    }

    boolean enabled() {
        return !origins.isEmpty();
    }

    Set<String> origins() {
        return origins;
    }

    /** Whether a request from {@code origin} may read responses. */
    boolean allows(String origin) {
        if (origin == null || origins.isEmpty()) {
            return false;
        }
        if (any) {
            return true;
        }
        String normal = normalise(origin);
        return normal != null && origins.contains(normal);
    }

    /** Whether the request is a CORS preflight: OPTIONS with an Origin and Access-Control-Request-Method. */
    static boolean isPreflight(String method, String origin, String requestedMethod) {
        return "OPTIONS".equals(method) && origin != null && requestedMethod != null;
    }

    /** The headers of a preflight answer for an allowed origin. */
    void preflightHeaders(String origin, MultivaluedMap<String, Object> headers) {
        actualHeaders(origin, headers);
        headers.putSingle("Access-Control-Allow-Methods", ALLOWED_METHODS);
        headers.putSingle("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.putSingle("Access-Control-Max-Age", Integer.toString(maxAgeSeconds));
    }

    /** The headers of an actual response to an allowed origin. */
    void actualHeaders(String origin, MultivaluedMap<String, Object> headers) {
        headers.putSingle("Access-Control-Allow-Origin", any ? "*" : origin);
        headers.putSingle("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (!any) {
            headers.add("Vary", "Origin");
        }
    }

    /** {@code scheme://host[:port]} in lower case, or {@code null} when the text is not an origin. */
    static String normalise(String origin) {
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null
                    || host == null
                    || u.getRawUserInfo() != null
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty())) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            String out = scheme + "://" + host.toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return defaultPort ? out : out + ":" + port;
        } catch (Exception e) {
            return null;
        }
    }
}
