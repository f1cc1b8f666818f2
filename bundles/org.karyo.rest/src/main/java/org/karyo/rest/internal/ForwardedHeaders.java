package org.karyo.rest.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public URL of a request behind a reverse proxy, from {@code X-Forwarded-Proto/Host/Port/Prefix}. Only applied
 * when the direct peer is a trusted proxy; malformed header values are ignored one by one.
 */
final class ForwardedHeaders {
    private static final Pattern HOST =
            Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(\\d{1,5}))?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+/?");

    /** The request's base and full URIs as the client sees them. */
    record PublicUris(URI base, URI request) {}

    private ForwardedHeaders() {}

    /**
     * Rewrites the base and request URIs with the forwarded values, or returns empty when no usable header is present.
     *
     * @param base the application's base URI as the server sees it, for example {@code http://10.0.0.5:8181/api/}
     * @param request the full request URI as the server sees it
     */
    static Optional<PublicUris> rewrite(URI base, URI request, String proto, String host, String port, String prefix) {
        String scheme = scheme(first(proto));
        HostPort hostPort = hostPort(first(host));
        int forwardedPort = port(first(port));
        String pathPrefix = prefix(first(prefix));
        if (scheme == null && hostPort == null && forwardedPort == 0 && pathPrefix == null) {
            return Optional.empty();
        }
        String s = scheme != null ? scheme : base.getScheme();
        String h;
        int p;
        if (hostPort != null) {
            h = hostPort.host();
            p = forwardedPort != 0 ? forwardedPort : hostPort.port();
        } else {
            h = base.getHost();
            p = forwardedPort != 0 ? forwardedPort : (scheme != null ? -1 : base.getPort());
        }
        if ((s.equals("http") && p == 80) || (s.equals("https") && p == 443)) {
            p = -1;
        }
        String authority =
                s + "://" + (h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h) + (p > 0 ? ":" + p : "");
        String pre = pathPrefix == null ? "" : pathPrefix;
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        String requestPath =
                request.getRawPath() == null || request.getRawPath().isEmpty() ? "/" : request.getRawPath();
        String query = request.getRawQuery() == null ? "" : "?" + request.getRawQuery();
        return Optional.of(new PublicUris(
                URI.create(authority + pre + basePath), URI.create(authority + pre + requestPath + query)));
    }

    private record HostPort(String host, int port) {}

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String v = (comma >= 0 ? header.substring(0, comma) : header).trim();
        return v.isEmpty() ? null : v;
    }

    private static String scheme(String v) {
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("http") || s.equals("https") ? s : null;
    }

    private static HostPort hostPort(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = HOST.matcher(v);
        if (!m.matches()) {
            return null;
        }
        int port = m.group(2) == null ? -1 : port(m.group(2));
        if (port == 0) {
            return null;
        }
        return new HostPort(m.group(1).toLowerCase(Locale.ROOT), port);
    }

    /** A port 1..65535, or 0 when absent or invalid. */
    private static int port(String v) {
        if (v == null || v.length() > 5 || !v.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        int p = Integer.parseInt(v);
        return p >= 1 && p <= 65535 ? p : 0;
    }

    private static String prefix(String v) {
        if (v == null || !PREFIX.matcher(v).matches() || v.contains("/../") || v.endsWith("/..") || v.contains("/./")) {
            return null;
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
