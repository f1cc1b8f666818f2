package org.karyo.auth.rest.internal;

import java.util.regex.Pattern;
import org.karyo.api.KaryoException;

/** The names and ids in resource paths ({@code /users/{username}}, {@code /auth/tokens/{id}}). */
final class PathNames {
    /** Longer than any username the configured patterns allow (an e-mail address is at most 254 characters). */
    static final int MAX_USERNAME = 254;

    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int ECHO_MAX = 32;

    private PathNames() {}

    /** The username a path names; a blank or overlong one names no user (404 without asking the service). */
    static String username(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_USERNAME) {
            throw KaryoException.notFound("user", echo(raw));
        }
        return raw;
    }

    /** The token id a path names; anything but a short opaque id names no token. */
    static String tokenId(String raw) {
        if (raw == null || !TOKEN_ID.matcher(raw).matches()) {
            throw KaryoException.notFound("API token", echo(raw));
        }
        return raw;
    }

    private static String echo(String raw) {
        if (raw == null) {
            return "";
        }
        String v = raw.replaceAll("\\p{Cntrl}", "?");
        return v.length() <= ECHO_MAX ? v : v.substring(0, ECHO_MAX) + "...";
    }
}
