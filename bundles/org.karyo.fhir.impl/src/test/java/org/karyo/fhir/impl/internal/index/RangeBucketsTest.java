package org.karyo.fhir.impl.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Period;
import org.junit.jupiter.api.Test;

/**
 * The range bucket keys never lose a match: for random values and random searches of every prefix, a value that matches
 * (by the store's range semantics, {@code rng_match}) carries one of the search's bucket keys; and they narrow: values
 * far from the searched interval carry none.
 */
class RangeBucketsTest {
    private static final IndexExtractor EXTRACTOR = new IndexExtractor(new SearchParamRegistry());
    private static final String[] PREFIXES = {"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"};

    @Test
    void everyMatchingNumberCarriesABucketOfTheSearch() {
        Random rnd = new Random(20261207);
        Tally tally = new Tally();
        for (int i = 0; i < 60_000; i++) {
            BigDecimal value = randomDecimal(rnd);
            BigDecimal searched = rnd.nextInt(4) == 0 ? value : randomDecimal(rnd);
            int op = 1 + rnd.nextInt(PREFIXES.length);
            double[] v = IndexValues.numberRange(value);
            double[] s = IndexValues.numberRange(searched);
            if (op == 9) {
                double gap = Math.abs((s[0] + s[1]) / 2) * 0.1;
                s = new double[] {s[0] - gap, s[1] + gap};
            }
            double[] cover = RangeBuckets.coverOf(op, s[0], s[1]);
            if (cover == null) {
                continue;
            }
            Set<String> keys = new HashSet<>();
            RangeBuckets.numberKeys("n:v=", v[0], v[1], keys);
            tally.record(op, v, s, keys, RangeBuckets.numberCover("n", cover[0], cover[1]), searched, value);
        }
        assertThat(tally.checked).isGreaterThan(15_000);
        assertThat(tally.narrowed).isGreaterThan(6_000);
    }

    @Test
    void numberBucketsAreTheMagnitudeAndTwoDigits() {
        Set<String> keys = new HashSet<>();
        RangeBuckets.numberKeys("v:v=", 152.5, 152.6, keys);
        assertThat(keys).containsExactlyInAnyOrder("v:v=+2", "v:v=+2.15");
        keys.clear();
        RangeBuckets.numberKeys("v:v=", -0.0305, -0.0295, keys);
        assertThat(keys).containsExactlyInAnyOrder("v:v=--2", "v:v=--2.29", "v:v=--2.30");
        keys.clear();
        // a zero spans every small magnitude of both signs: wide
        RangeBuckets.numberKeys("v:v=", -0.5, 0.5, keys);
        assertThat(keys).containsExactly("v:v=*");
        keys.clear();
        RangeBuckets.numberKeys("v:v=", 5, IndexValues.POS_INF, keys);
        assertThat(keys).containsExactly("v:v=*");
        // gt150 over 150.5: the rest of 150–199 as fine buckets, whole exponents from 10^3 as coarse ones
        List<String> cover = RangeBuckets.numberCover("v", 150.5, Double.POSITIVE_INFINITY);
        assertThat(cover)
                .contains("v:v=*", "v:v=+2.15", "v:v=+2.99", "v:v=+3", "v:v=+12")
                .doesNotContain("v:v=+2.14", "v:v=+2", "v:v=+1", "v:v=0")
                .hasSize(1 + 85 + 10);
    }

    @Test
    void everyMatchingDateCarriesABucketOfTheSearch() {
        Random rnd = new Random(7);
        Tally tally = new Tally();
        for (int i = 0; i < 20_000; i++) {
            String value = randomDate(rnd);
            String searched = rnd.nextInt(4) == 0 ? value : randomDate(rnd);
            int op = 1 + rnd.nextInt(PREFIXES.length);
            double[] v = IndexValues.dateRange(value);
            double[] s = IndexValues.dateRange(searched);
            int open = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? 1 : -1) : 0;
            if (open > 0) {
                v = new double[] {v[0], IndexValues.POS_INF};
            } else if (open < 0) {
                v = new double[] {IndexValues.NEG_INF, v[1]};
            }
            if (op == 9) {
                double gap = Math.max(Math.abs(1.8e12 - s[0]) * 0.1, s[1] - s[0]);
                s = new double[] {s[0] - gap, s[1] + gap};
            }
            double[] cover = RangeBuckets.coverOf(op, s[0], s[1]);
            if (cover == null || op == 1) {
                // eq uses the day/month/year key of its own precision (SearchCompiler.date)
                continue;
            }
            tally.record(
                    op,
                    v,
                    s,
                    dateKeys(value, open),
                    RangeBuckets.dateCover("date", cover[0], cover[1]),
                    searched,
                    value);
        }
        assertThat(tally.checked).isGreaterThan(4_000);
        assertThat(tally.narrowed).isGreaterThan(2_000);
    }

    @Test
    void anOpenDateIntervalIsABoundedSetOfKeys() {
        double from = LocalDate.of(2024, 6, 15)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        List<String> cover = RangeBuckets.dateCover("date", from, Double.POSITIVE_INFINITY);
        assertThat(cover)
                .contains("date:y=*", "date:m=2024-06", "date:m=2024-12", "date:y=2025", "date:y=2029")
                .contains("date:y=203", "date:y=209", "date:y=21")
                .doesNotContain("date:m=2024-05", "date:y=2024", "date:y=202", "date:y=20", "date:y=22");
        assertThat(cover).hasSize(1 + 7 + 5 + 7 + 1);
    }

    /** The {@code date} keys the extractor writes for an Observation effective at {@code value} (or from/until it). */
    private static Set<String> dateKeys(String value, int open) {
        Observation o = new Observation();
        if (open == 0) {
            o.setEffective(new DateTimeType(value));
        } else {
            Period p = new Period();
            if (open > 0) {
                p.setStartElement(new DateTimeType(value));
            } else {
                p.setEndElement(new DateTimeType(value));
            }
            o.setEffective(p);
        }
        Set<String> keys = new HashSet<>();
        for (String k : EXTRACTOR.extract(o).keys()) {
            if (k.startsWith("date:") && !k.equals("date:*")) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The searches a value matched (and so must carry one of their keys), and those its keys were narrowed from. */
    private static final class Tally {
        int checked;
        int narrowed;

        /** One value of range {@code v} and keys {@code keys} against a search {@code op} on {@code s} asking {@code asked}. */
        void record(
                int op, double[] v, double[] s, Set<String> keys, List<String> asked, Object searched, Object value) {
            boolean carries = keys.stream().anyMatch(new HashSet<>(asked)::contains);
            if (matches(op, v[0], v[1], s[0], s[1])) {
                assertThat(carries)
                        .as("%s%s must find %s (keys %s, asked %s)", PREFIXES[op - 1], searched, value, keys, asked)
                        .isTrue();
                checked++;
            } else if (!carries) {
                narrowed++;
            }
        }
    }

    /** {@code karyo_fhir.rng_match} of one range. */
    private static boolean matches(int op, double low, double high, double lo, double hi) {
        boolean within = low >= lo && high <= hi;
        return switch (op) {
            case 1 -> within;
            case 2 -> !within;
            case 3 -> high > hi;
            case 4 -> low < lo;
            case 5 -> high > hi || within;
            case 6 -> low < lo || within;
            case 7 -> low >= hi;
            case 8 -> high <= lo;
            default -> low < hi && high > lo;
        };
    }

    private static BigDecimal randomDecimal(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> BigDecimal.valueOf(rnd.nextInt(2000) - 1000);
            case 1 -> BigDecimal.valueOf(rnd.nextInt(100_000) - 50_000, 1 + rnd.nextInt(4));
            case 2 -> BigDecimal.valueOf(rnd.nextInt(300), rnd.nextInt(3));
            case 3 -> BigDecimal.ZERO.setScale(rnd.nextInt(3));
            case 4 -> new BigDecimal(
                    (rnd.nextBoolean() ? "-" : "") + (1 + rnd.nextInt(9)) + "e" + (rnd.nextInt(50) - 25));
            default -> BigDecimal.valueOf(rnd.nextInt(1000), rnd.nextInt(12) - 3);
        };
    }

    private static String randomDate(Random rnd) {
        int year = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(9998) : 1990 + rnd.nextInt(40);
        LocalDate d = LocalDate.of(year, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        String y = RangeBuckets.year(d.getYear());
        return switch (rnd.nextInt(4)) {
            case 0 -> y;
            case 1 -> y + "-" + RangeBuckets.two(d.getMonthValue());
            case 2 -> y + "-" + RangeBuckets.two(d.getMonthValue()) + "-" + RangeBuckets.two(d.getDayOfMonth());
            default -> y + "-" + RangeBuckets.two(d.getMonthValue()) + "-" + RangeBuckets.two(d.getDayOfMonth()) + "T"
                    + RangeBuckets.two(rnd.nextInt(24)) + ":" + RangeBuckets.two(rnd.nextInt(60)) + ":00Z";
        };
    }
}
