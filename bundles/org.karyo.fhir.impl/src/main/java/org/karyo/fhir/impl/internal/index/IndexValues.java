package org.karyo.fhir.impl.internal.index;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The value conventions of the search index, shared by the extractor (write side) and the search compiler (query
 * side): parameter ids of the range array, text normalisation, and the precision ranges of dates and numbers.
 */
public final class IndexValues {
    /** Lower bound of an open range (a Period without start, a {@code <} quantity). */
    public static final double NEG_INF = -Double.MAX_VALUE;
    /** Upper bound of an open range. */
    public static final double POS_INF = Double.MAX_VALUE;
    /** Prefix keys ({@code :p=}, {@code :x=}) are written for every prefix up to this many characters. */
    public static final int MAX_PREFIX = 32;
    /**
     * Normalised or exact values longer than this are not written whole (only their prefixes): a GIN key must stay well
     * under a third of a page. A search on a longer value uses the 32-character prefix key and rechecks.
     */
    public static final int MAX_VALUE_CHARS = 1024;
    /** A value whose date range touches more days than this writes {@code :y=*} instead of day/month/year buckets. */
    public static final int MAX_BUCKET_DAYS = 31;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IndexValues() {}

    /**
     * The id of a range-array parameter: FNV-1a (64 bit) of the UTF-8 name, shifted right by 12 bits, so a
     * non-negative 52-bit integer that a {@code float8} holds exactly. The name is the parameter code, or {@code
     * code|system|unit} for a quantity with a coded unit, or {@code code$left} for a composite.
     */
    public static long paramId(String name) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h >>> 12;
    }

    /**
     * Search normalisation of a string: accents stripped (NFD, combining marks removed), lower case, runs of
     * whitespace collapsed to one space, trimmed.
     */
    public static String normalize(String s) {
        if (s == null) {
            return "";
        }
        boolean plain = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (Character.isWhitespace(c) && (c != ' ' || i == 0))) {
                plain = false;
                break;
            }
            if (c == ' ' && (i == s.length() - 1 || s.charAt(i + 1) == ' ')) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s;
        }
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(d.length());
        boolean space = false;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            int t = Character.getType(c);
            if (t == Character.NON_SPACING_MARK
                    || t == Character.ENCLOSING_MARK
                    || t == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            b.append(c);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision range {@code [low, high)} in epoch milliseconds of a FHIR date, dateTime or instant string ({@code
     * 2024}, {@code 2024-09}, {@code 2024-09-03}, {@code 2024-09-03T10:15}, {@code 2024-09-03T10:15:30.123+02:00}); a
     * value without a zone is taken as UTC. Null when the string is not such a value.
     */
    public static double[] dateRange(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        try {
            if (n < 4 || !digits(s, 0, 4)) {
                return null;
            }
            int year = Integer.parseInt(s.substring(0, 4));
            if (n == 4) {
                LocalDateTime start = LocalDate.of(year, 1, 1).atStartOfDay();
                return range(start, start.plusYears(1), ZoneOffset.UTC);
            }
            if (n < 7 || s.charAt(4) != '-' || !digits(s, 5, 7)) {
                return null;
            }
            int month = Integer.parseInt(s.substring(5, 7));
            if (n == 7) {
                LocalDateTime start = LocalDate.of(year, month, 1).atStartOfDay();
                return range(start, start.plusMonths(1), ZoneOffset.UTC);
            }
            if (n < 10 || s.charAt(7) != '-' || !digits(s, 8, 10)) {
                return null;
            }
            int day = Integer.parseInt(s.substring(8, 10));
            if (n == 10) {
                LocalDateTime start = LocalDate.of(year, month, day).atStartOfDay();
                return range(start, start.plusDays(1), ZoneOffset.UTC);
            }
            if (s.charAt(10) != 'T' || n < 16 || !digits(s, 11, 13) || s.charAt(13) != ':' || !digits(s, 14, 16)) {
                return null;
            }
            int hour = Integer.parseInt(s.substring(11, 13));
            int minute = Integer.parseInt(s.substring(14, 16));
            int pos = 16;
            int second = 0;
            int fracDigits = -1; // -1: minute precision, 0: second precision
            long fracNanos = 0;
            if (pos < n && s.charAt(pos) == ':') {
                if (!digits(s, pos + 1, pos + 3)) {
                    return null;
                }
                second = Integer.parseInt(s.substring(pos + 1, pos + 3));
                pos += 3;
                fracDigits = 0;
                if (pos < n && s.charAt(pos) == '.') {
                    int st = ++pos;
                    while (pos < n && Character.isDigit(s.charAt(pos))) {
                        pos++;
                    }
                    if (pos == st) {
                        return null;
                    }
                    fracDigits = pos - st;
                    String f = s.substring(st, Math.min(pos, st + 9));
                    fracNanos = Long.parseLong(f) * pow10(9 - f.length());
                }
            }
            ZoneOffset zone = ZoneOffset.UTC;
            if (pos < n) {
                String z = s.substring(pos);
                zone = "Z".equals(z) ? ZoneOffset.UTC : ZoneOffset.of(z);
            }
            LocalDateTime start = LocalDateTime.of(year, month, day, hour, minute, second, (int) fracNanos);
            double low = start.toInstant(zone).toEpochMilli() + (fracNanos % 1_000_000L) / 1e6;
            double width;
            if (fracDigits < 0) {
                width = 60_000d;
            } else if (fracDigits == 0) {
                width = 1000d;
            } else {
                width = Math.pow(10, 3 - Math.min(fracDigits, 9));
            }
            return new double[] {low, low + width};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The implicit precision range {@code [v - u/2, v + u/2)} of a decimal, where {@code u} is one unit of its last
     * significant digit ({@code 100} → [99.5, 100.5), {@code 5.40} → [5.395, 5.405)).
     */
    public static double[] numberRange(BigDecimal v) {
        BigDecimal half = BigDecimal.ONE.scaleByPowerOfTen(-v.scale()).divide(BigDecimal.valueOf(2));
        return new double[] {v.subtract(half).doubleValue(), v.add(half).doubleValue()};
    }

    /** The UTC day number (days since 1970-01-01) of an epoch-millisecond instant. */
    static long day(double millis) {
        return Math.floorDiv((long) Math.floor(millis), MILLIS_PER_DAY);
    }

    /**
     * The number of UTC days a range {@code [low, high)} touches, or {@link Long#MAX_VALUE} when it is open or too
     * long to matter.
     */
    static long daysTouched(double low, double high) {
        if (low <= -8.64e15 || high >= 8.64e15 || Double.isNaN(low) || Double.isNaN(high)) {
            return Long.MAX_VALUE;
        }
        if (high <= low) {
            return 1;
        }
        return day(Math.nextDown(high)) - day(low) + 1;
    }

    private static double[] range(LocalDateTime start, LocalDateTime end, ZoneOffset zone) {
        return new double[] {
            start.toInstant(zone).toEpochMilli(), end.toInstant(zone).toEpochMilli()
        };
    }

    private static boolean digits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long pow10(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) {
            r *= 10;
        }
        return r;
    }
}
