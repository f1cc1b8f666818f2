package org.karyo.omics.hts.internal;

/** C library number parsing as htslib relies on it, so that coordinates are read exactly as tabix reads them. */
public final class CNumbers {

    /** The index just past the last character parsed by the last call (the start index when nothing parsed). */
    public int end;

    /**
     * {@code strtoll(s, &end, 0)} over {@code b[from..to)}: leading white space, a sign, then hexadecimal ({@code 0x}),
     * octal (leading {@code 0}) or decimal digits; saturates on overflow.
     */
    public long strtoll(byte[] b, int from, int to) {
        int i = from;
        while (i < to && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        int base = 10;
        if (i < to && b[i] == '0') {
            if (i + 2 < to && (b[i + 1] == 'x' || b[i + 1] == 'X') && digit(b[i + 2], 16) >= 0) {
                base = 16;
                i += 2;
            } else {
                base = 8;
            }
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < to) {
            int d = base == 10 ? decimal(b[i]) : digit(b[i], base);
            if (d < 0) {
                break;
            }
            if (!overflow) {
                // below the limit no digit can overflow: the exact test (a 64-bit division) only near the top
                if (v > SAFE[base] && v > (Long.MAX_VALUE - d) / base) {
                    overflow = true;
                } else {
                    v = v * base + d;
                }
            }
            i++;
        }
        if (i == start && base != 8) {
            end = from;
            return 0;
        }
        end = i;
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -v : v;
    }

    /** For each base, the largest value that any digit may follow without overflowing. */
    private static final long[] SAFE = new long[37];

    static {
        for (int base = 2; base < SAFE.length; base++) {
            SAFE[base] = (Long.MAX_VALUE - (base - 1)) / base;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int decimal(byte c) {
        int d = c - '0';
        return d >= 0 && d <= 9 ? d : -1;
    }

    private static int digit(byte c, int base) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'z') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'Z') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < base ? d : -1;
    }

    /**
     * htslib's {@code hts_parse_decimal} with thousands separators: digits with commas, an optional fraction and
     * exponent or a k/M/G suffix. {@link #end} is the index after the number, or {@code from} when there is no digit.
     */
    public long parseDecimal(String s, int from) {
        int i = from;
        int len = s.length();
        while (i < len && isSpace((byte) s.charAt(i))) {
            i++;
        }
        long n = 0;
        int digits = 0;
        int decimals = 0;
        long e = 0;
        char sign = '+';
        if (i < len && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            sign = s.charAt(i++);
        }
        while (i < len) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                n = pushDigit(n, c);
                i++;
            } else if (c == ',') {
                i++;
            } else {
                break;
            }
        }
        if (i < len && s.charAt(i) == '.') {
            i++;
            while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                decimals++;
                digits++;
                n = pushDigit(n, s.charAt(i++));
            }
        }
        if (i < len) {
            switch (s.charAt(i)) {
                case 'e', 'E' -> {
                    i++;
                    char esign = '+';
                    if (i < len && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                        esign = s.charAt(i++);
                    }
                    while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                        e = Math.min(10 * e + (s.charAt(i++) - '0'), 1000);
                    }
                    if (esign == '-') {
                        e = -e;
                    }
                }
                case 'k', 'K' -> {
                    e += 3;
                    i++;
                }
                case 'm', 'M' -> {
                    e += 6;
                    i++;
                }
                case 'g', 'G' -> {
                    e += 9;
                    i++;
                }
                default -> {
                    // no suffix
                }
            }
        }
        e -= decimals;
        while (e > 0) {
            n = n > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : n * 10;
            e--;
        }
        while (e < 0) {
            n /= 10;
            e++;
        }
        end = digits > 0 ? i : from;
        return sign == '+' ? n : -n;
    }

    private static long pushDigit(long n, char c) {
        if (n > (Long.MAX_VALUE - 9) / 10) {
            return Long.MAX_VALUE;
        }
        return 10 * n + (c - '0');
    }
}
