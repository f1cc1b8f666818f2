package org.karyo.storage.api;

import java.util.regex.Pattern;
import org.karyo.api.KaryoException;

/**
 * The key rules of the {@link ObjectStore} contract, which every store enforces so that a module's keys work on all of
 * them: {@code /}-separated segments of letters, digits, {@code .}, {@code _} and {@code -}, none empty and none
 * starting with a dot (so no {@code .} or {@code ..}), at most {@value #MAX_LENGTH} characters and {@value #MAX_SEGMENT}
 * per segment. A store that maps keys to paths (the filesystem store) relies on them to stay inside its folder.
 */
public final class ObjectKeys {
    public static final int MAX_LENGTH = 1024;
    public static final int MAX_SEGMENT = 255;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern PREFIX_CHARS = Pattern.compile("[A-Za-z0-9._/-]*");

    private ObjectKeys() {}

    /** {@code key}, when it is valid; else INVALID naming the field {@code key}. */
    public static String check(String key) {
        return check("key", key);
    }

    /** {@code key}, when it is valid; else INVALID naming {@code field}. */
    public static String check(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw KaryoException.invalid(field, "must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw KaryoException.invalid(field, "must be at most " + MAX_LENGTH + " characters");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw KaryoException.invalid(field, "must not start or end with / nor hold an empty segment");
            }
            if (segment.length() > MAX_SEGMENT) {
                throw KaryoException.invalid(field, "segments must be at most " + MAX_SEGMENT + " characters");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw KaryoException.invalid(
                        field,
                        "segments are letters, digits, '.', '_' and '-', and do not start with '.' (no . or ..)");
            }
        }
        return key;
    }

    /** A listing prefix: empty, or the start of a key (whole segments checked as in keys). */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (prefix.length() > MAX_LENGTH || !PREFIX_CHARS.matcher(prefix).matches()) {
            throw KaryoException.invalid("prefix", "is not the start of a valid key");
        }
        String[] segments = prefix.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            boolean whole = i < segments.length - 1;
            String s = segments[i];
            if ((whole && (s.isEmpty() || !SEGMENT.matcher(s).matches()))
                    || (!whole && !s.isEmpty() && s.startsWith("."))) {
                throw KaryoException.invalid("prefix", "is not the start of a valid key");
            }
        }
        return prefix;
    }
}
