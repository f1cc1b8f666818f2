package org.karyo.rest.support;

import org.karyo.api.KaryoException;

/** The numeric ids in resource paths ({@code /api/webcontent/contents/{id}}). */
public final class PathIds {
    private static final int ECHO_MAX = 32;

    private PathIds() {}

    /**
     * The id a path segment names. Anything but a positive number names no object, so it answers 404 like an unknown
     * number does, without reaching the service; the message echoes at most {@value #ECHO_MAX} characters of it.
     *
     * @param raw the path segment
     * @param what what the id names, for the message (for example {@code content})
     */
    public static long parse(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // not a number: no such object
        }
        String echo = raw == null ? "" : raw.length() <= ECHO_MAX ? raw : raw.substring(0, ECHO_MAX) + "...";
        throw KaryoException.notFound(what, echo);
    }
}
