package org.karyo.fhir.impl.internal.index;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Bucket keys of date, number and quantity values, so that the exact-match index (GIN over {@code keys}) narrows a
 * range search before the ranges themselves ({@code rng}) are checked row by row.
 *
 * <p>A value writes the key of every bucket its range touches; a search asks for the keys of every bucket that its
 * condition's interval touches, plus the "wide" key that values touching too many buckets write instead. Any value that
 * can match touches the search's interval (see {@link #coverOf}), so it carries one of those keys: the keys only ever
 * narrow to a superset of the matches, and the ranges decide.
 *
 * <ul>
 *   <li>Dates: {@code :d=} day, {@code :m=} month, and under {@code :y=} the year ({@code 2024}), the decade ({@code
 *       202}) and the century ({@code 20}) of each UTC day a value touches, when it touches at most {@value
 *       IndexValues#MAX_BUCKET_DAYS} days of the years 1000–2199; otherwise {@code :y=*}. An open interval ({@code
 *       ge2024}) is then a short set of keys: months to the end of the year, years to the end of the decade, decades
 *       to the end of the century, centuries to 2199 (21 keys for {@code ge2024-06-15}).
 *   <li>Numbers and quantities: {@code :v=} with the sign and the decimal exponent ({@code +2} for 100–999, the coarse
 *       bucket) and the exponent and the first two digits ({@code +2.15} for 150–159.99…, the fine bucket), for
 *       magnitudes between 10⁻⁹ and 10¹³; {@code :v=0} below that, {@code :v=*} above. A value whose range touches more than two fine
 *       buckets (a zero, which spans every small magnitude of both signs; a Range; a quantity with a comparator)
 *       writes {@code :v=*}.
 * </ul>
 */
public final class RangeBuckets {
    /** The smallest and largest decimal exponents with buckets of their own. */
    static final int MIN_EXP = -9;

    static final int MAX_EXP = 12;
    /** Fine buckets per exponent: the first two digits, 10–99. */
    private static final int PER_EXP = 90;
    /** The largest ordinal of a fine bucket; {@code -MAX_ORD} is the smallest, 0 the bucket of the tiny magnitudes. */
    static final int MAX_ORD = (MAX_EXP - MIN_EXP + 1) * PER_EXP;

    private static final int OUT = Integer.MIN_VALUE;
    private static final double[] POW = new double[MAX_EXP - MIN_EXP + 3];

    static {
        for (int e = MIN_EXP - 1; e <= MAX_EXP + 1; e++) {
            POW[e - MIN_EXP + 1] = Double.parseDouble("1e" + e);
        }
    }

    /** The first and last days with buckets: the years 1000–2199. */
    private static final long FIRST_DAY = LocalDate.of(1000, 1, 1).toEpochDay();

    private static final long LAST_DAY = LocalDate.of(2199, 12, 31).toEpochDay();

    private RangeBuckets() {}

    // ------------------------------------------------------------------ search side

    /**
     * The interval {@code [from, to]} (infinite ends allowed) that any value range matching the condition must touch:
     * the condition's operation ({@code 1 eq … 9 ap}, as {@code rng_match}) on the search range {@code [lo, hi)}; null
     * for {@code ne}, which no bucket narrows.
     */
    public static double[] coverOf(int op, double lo, double hi) {
        double inf = Double.POSITIVE_INFINITY;
        return switch (op) {
            case 1 -> new double[] {lo, Math.nextDown(hi)};
            case 3, 7 -> new double[] {hi, inf};
            case 4, 8 -> new double[] {-inf, lo};
            case 5 -> new double[] {lo, inf};
            case 6 -> new double[] {-inf, hi};
            case 9 -> new double[] {lo, hi};
            default -> null;
        };
    }

    /**
     * The {@code :y=}/{@code :m=} keys of parameter {@code code} that a date value touching any instant of {@code [from,
     * to]} (epoch milliseconds, infinite ends allowed) carries, with {@code :y=*}.
     */
    public static List<String> dateCover(String code, double from, double to) {
        List<String> out = new ArrayList<>();
        out.add(code + ":y=*");
        long first = from < -8.64e15 ? FIRST_DAY : Math.max(FIRST_DAY, IndexValues.day(from));
        long last = to > 8.64e15 ? LAST_DAY : Math.min(LAST_DAY, IndexValues.day(to));
        if (first > last) {
            return out;
        }
        LocalDate end = LocalDate.ofEpochDay(last);
        LocalDate c = LocalDate.ofEpochDay(first).withDayOfMonth(1);
        while (!c.isAfter(end)) {
            int y = c.getYear();
            if (c.getDayOfYear() == 1) {
                if (y % 100 == 0 && !c.plusYears(100).minusDays(1).isAfter(end)) {
                    out.add(code + ":y=" + year(y).substring(0, 2));
                    c = c.plusYears(100);
                    continue;
                }
                if (y % 10 == 0 && !c.plusYears(10).minusDays(1).isAfter(end)) {
                    out.add(code + ":y=" + year(y).substring(0, 3));
                    c = c.plusYears(10);
                    continue;
                }
                if (!c.plusYears(1).minusDays(1).isAfter(end)) {
                    out.add(code + ":y=" + year(y));
                    c = c.plusYears(1);
                    continue;
                }
            }
            out.add(code + ":m=" + year(y) + "-" + two(c.getMonthValue()));
            c = c.plusMonths(1);
        }
        return out;
    }

    /**
     * The {@code :v=} keys of parameter {@code code} that a number touching any point of {@code [from, to]} (infinite
     * ends allowed) carries, with {@code :v=*}: whole exponents as coarse keys, the partly covered ones as fine keys.
     */
    public static List<String> numberCover(String code, double from, double to) {
        List<String> out = new ArrayList<>();
        String v = code + ":v=";
        out.add(v + "*");
        int a = ordinalOrEdge(from, -MAX_ORD);
        int b = ordinalOrEdge(to, MAX_ORD);
        int o = a;
        while (o <= b) {
            if (o == 0) {
                out.add(v + "0");
                o++;
                continue;
            }
            // the fine buckets of o's exponent, in the order of the ordinals
            int m = Math.abs(o) - 1;
            int exp = m / PER_EXP + MIN_EXP;
            int blockLow = o > 0 ? (exp - MIN_EXP) * PER_EXP + 1 : -((exp - MIN_EXP + 1) * PER_EXP);
            int blockHigh = blockLow + PER_EXP - 1;
            if (o == blockLow && b >= blockHigh) {
                out.add(v + coarse(o));
                o = blockHigh + 1;
            } else {
                out.add(v + fine(o));
                o++;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ write side

    /**
     * Adds to {@code sink} the {@code :v=} keys (prefix {@code v}, e.g. {@code value-quantity:v=}) of a number whose
     * precision range is {@code [low, high)}.
     */
    static void numberKeys(String v, double low, double high, Collection<String> sink) {
        int a = ordinal(low);
        int b = ordinal(high > low ? Math.nextDown(high) : low);
        if (a == OUT || b == OUT || b - a > 1) {
            sink.add(v + "*");
            return;
        }
        for (int o = a; o <= b; o++) {
            if (o == 0) {
                sink.add(v + "0");
            } else {
                sink.add(v + coarse(o));
                sink.add(v + fine(o));
            }
        }
    }

    /** Whether the years of a day are ones with buckets (1000–2199). */
    static boolean bucketedDay(long day) {
        return day >= FIRST_DAY && day <= LAST_DAY;
    }

    /** Adds the year, decade and century keys (prefix {@code y}, e.g. {@code date:y=}) of a year 1000–2199. */
    static void yearKeys(String y, int year, Collection<String> sink) {
        String s = year(year);
        sink.add(y + s);
        sink.add(y + s.substring(0, 3));
        sink.add(y + s.substring(0, 2));
    }

    static String year(int y) {
        String s = Integer.toString(y);
        return s.length() >= 4 ? s : "0".repeat(4 - s.length()) + s;
    }

    static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    // ------------------------------------------------------------------ ordinals

    /**
     * The fine bucket of {@code x} as an ordinal that grows with {@code x}: 1…{@link #MAX_ORD} for positive magnitudes
     * 10⁻⁹–10¹³, their negatives for negative numbers, 0 for magnitudes below 10⁻⁹, {@link #OUT} from 10¹³ or for a
     * NaN. Monotonic by construction (comparisons with one table of powers of ten, a division by a constant), which
     * is all the covers need.
     */
    static int ordinal(double x) {
        if (Double.isNaN(x)) {
            return OUT;
        }
        double m = Math.abs(x);
        if (m < POW[1]) {
            return 0;
        }
        if (m >= POW[POW.length - 1]) {
            return OUT;
        }
        int e = (int) Math.floor(Math.log10(m));
        e = Math.max(MIN_EXP, Math.min(MAX_EXP, e));
        while (e < MAX_EXP && m >= POW[e + 1 - MIN_EXP + 1]) {
            e++;
        }
        while (e > MIN_EXP && m < POW[e - MIN_EXP + 1]) {
            e--;
        }
        int dd = (int) Math.floor(m / POW[e - 1 - MIN_EXP + 1]);
        dd = Math.max(10, Math.min(99, dd));
        int o = (e - MIN_EXP) * PER_EXP + (dd - 10) + 1;
        return x < 0 ? -o : o;
    }

    private static int ordinalOrEdge(double x, int edge) {
        int o = ordinal(x);
        return o == OUT ? edge : o;
    }

    private static String coarse(int o) {
        int m = Math.abs(o) - 1;
        return (o < 0 ? "-" : "+") + (m / PER_EXP + MIN_EXP);
    }

    private static String fine(int o) {
        int m = Math.abs(o) - 1;
        return coarse(o) + "." + (m % PER_EXP + 10);
    }
}
