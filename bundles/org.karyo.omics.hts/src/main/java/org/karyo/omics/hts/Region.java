package org.karyo.omics.hts;

import java.util.Objects;
import java.util.function.Predicate;
import org.karyo.omics.hts.internal.CNumbers;

/**
 * A region as tabix parses it: 1-based inclusive; {@code end == Long.MAX_VALUE} means to the end of the contig.
 *
 * @param contig the contig name as given
 * @param start the first position, 1-based, at least 1
 * @param end the last position, inclusive, at least {@code start}, or {@link Long#MAX_VALUE}
 */
public record Region(String contig, long start, long end) {

    /** htslib's HTS_POS_MAX. */
    private static final long HTS_POS_MAX = ((long) Integer.MAX_VALUE << 32) | Integer.MAX_VALUE;

    /** Checks the fields. */
    public Region {
        Objects.requireNonNull(contig, "contig");
        if (contig.isEmpty()) {
            throw new IllegalArgumentException("region: the contig name is empty");
        }
        if (start < 1) {
            throw new IllegalArgumentException("region: the start must be at least 1");
        }
        if (end < start) {
            throw new IllegalArgumentException("region: the end is before the start");
        }
    }

    /** The whole of {@code contig}. */
    public static Region whole(String contig) {
        return new Region(contig, 1, Long.MAX_VALUE);
    }

    /**
     * Parses tabix/htslib region text: {@code chr1}, {@code chr1:10000} (to the end), {@code chr1:10,000-20,000},
     * {@code chr1:-500} (1-500), {@code chr1:100-} (to the end), {@code 1k}/{@code 1.5M} suffixes,
     * {@code {HLA-A*01:01}:1-100} (braces quote a name holding a colon), following htslib's {@code hts_parse_region}.
     * Without the contig names, text after the last colon is always taken as coordinates; use
     * {@link #parse(String, Predicate)} to resolve names that contain a colon as htslib does.
     *
     * @throws IllegalArgumentException with a client-safe message when the text is not a region
     */
    public static Region parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses region text as {@link #parse(String)}, but with the contig names known: like htslib, an unquoted text
     * that is a whole contig name (e.g. {@code HLA-DRB1*12:17}) is that contig, and a text that could be read both
     * ways is rejected as ambiguous.
     *
     * @param knownContig tells whether a name is a contig of the file (aliases included, if the caller wishes)
     */
    public static Region parse(String text, Predicate<String> knownContig) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("region: empty");
        }
        if (text.length() > 10_000) {
            throw new IllegalArgumentException("region: too long");
        }
        String name;
        int colon;
        if (text.charAt(0) == '{') {
            int close = text.indexOf('}');
            if (close < 0) {
                throw new IllegalArgumentException("region: mismatching braces");
            }
            name = text.substring(1, close);
            if (close + 1 == text.length()) {
                return whole(nonEmpty(name));
            }
            if (text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("region: unexpected text after the closing brace");
            }
            colon = close + 1;
        } else {
            colon = text.lastIndexOf(':');
            if (colon < 0) {
                return whole(text);
            }
            if (knownContig != null && knownContig.test(text)) {
                if (knownContig.test(text.substring(0, colon))) {
                    throw new IllegalArgumentException("region: ambiguous; write {" + text + "} or {"
                            + text.substring(0, colon) + "}" + text.substring(colon));
                }
                return whole(text);
            }
            name = text.substring(0, colon);
        }
        nonEmpty(name);
        CNumbers numbers = new CNumbers();
        long beg = numbers.parseDecimal(text, colon + 1) - 1;
        int hyphen = numbers.end;
        long end;
        if (beg < 0) {
            if (beg != -1 && charAt(text, hyphen) == '-' && colon + 1 < text.length()) {
                throw new IllegalArgumentException("region: coordinates must be > 0");
            }
            char h = charAt(text, hyphen);
            if (Character.isDigit(h) && h < 128 || hyphen == text.length() || h == ',') {
                end = beg == -1 ? HTS_POS_MAX : -(beg + 1);
                return of(name, 0, end);
            } else if (beg < -1) {
                throw new IllegalArgumentException("region: unexpected text after the coordinates");
            }
        }
        if (hyphen == text.length()) {
            end = HTS_POS_MAX;
        } else if (text.charAt(hyphen) == '-') {
            end = numbers.parseDecimal(text, hyphen + 1);
            int after = numbers.end;
            if (after != text.length() && text.charAt(after) != ',') {
                throw new IllegalArgumentException("region: unexpected text after the coordinates");
            }
        } else {
            throw new IllegalArgumentException("region: unexpected text after the coordinates");
        }
        if (end == 0) {
            end = HTS_POS_MAX;
        }
        if (beg >= end) {
            throw new IllegalArgumentException("region: the start is after the end");
        }
        return of(name, beg, end);
    }

    private static Region of(String name, long beg0, long end) {
        long start = Math.max(1, beg0 + 1);
        long e = end >= HTS_POS_MAX ? Long.MAX_VALUE : end;
        if (e < start) {
            throw new IllegalArgumentException("region: the start is after the end");
        }
        return new Region(name, start, e);
    }

    private static String nonEmpty(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("region: the contig name is empty");
        }
        return name;
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /** The region in tabix syntax ({@code contig:start-end}, or {@code contig:start} when open-ended). */
    @Override
    public String toString() {
        String c = contig.indexOf(':') >= 0 ? "{" + contig + "}" : contig;
        return end == Long.MAX_VALUE ? c + ":" + start : c + ":" + start + "-" + end;
    }
}
