package org.karyo.storage.fs.internal;

import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/**
 * One HTTP byte range ({@code Range: bytes=first-last}, {@code bytes=first-}, {@code bytes=-suffix}) resolved against
 * an object's size. Several ranges, other units and malformed values are ignored (RFC 9110 allows serving the whole
 * object instead); a range that starts at or beyond the end is not satisfiable.
 *
 * @param first the first byte
 * @param length how many bytes
 */
record ByteRange(long first, long length) {

    long last() {
        return first + length - 1;
    }

    /**
     * The range of {@code header} in an object of {@code size} bytes, or {@code null} for the whole object.
     *
     * @throws KaryoException RANGE_NOT_SATISFIABLE when the range starts beyond the object
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw unsatisfiable(size);
                }
                long n = Math.min(suffix, size);
                if (n == 0) {
                    throw unsatisfiable(size);
                }
                return new ByteRange(size - n, n);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                throw unsatisfiable(size);
            }
            return new ByteRange(first, Math.min(last, size - 1) - first + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static KaryoException unsatisfiable(long size) {
        return new KaryoException(
                Kind.RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                "The range is outside the object's " + size + " bytes",
                null,
                Map.of("size", size),
                null);
    }
}
