package org.karyo.fhir.impl.internal.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.karyo.fhir.api.FhirException;

/**
 * The range a FHIR date search value stands for, by its precision: {@code 2024} is the year, {@code 2024-09-03} the
 * day, {@code 2024-09-03T10:00:00Z} the second; in epoch milliseconds, [low, high). Times without a zone are UTC.
 */
record DateRange(double low, double high, Precision precision, String text) {

    enum Precision {
        YEAR,
        MONTH,
        DAY,
        TIME
    }

    static DateRange parse(String param, String v) {
        try {
            if (v.matches("\\d{4}")) {
                LocalDate d = LocalDate.of(Integer.parseInt(v), 1, 1);
                return new DateRange(ms(d), ms(d.plusYears(1)), Precision.YEAR, v);
            }
            if (v.matches("\\d{4}-\\d{2}")) {
                LocalDate d = LocalDate.parse(v + "-01");
                return new DateRange(ms(d), ms(d.plusMonths(1)), Precision.MONTH, v);
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate d = LocalDate.parse(v);
                return new DateRange(ms(d), ms(d.plusDays(1)), Precision.DAY, v);
            }
            Instant at;
            if (v.matches(".*(Z|[+-]\\d{2}:\\d{2})$")) {
                at = OffsetDateTime.parse(v).toInstant();
            } else {
                at = LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            }
            // a time is precise to the unit it is written to: to the second, or to the millisecond with a fraction
            long unit = v.contains(".") ? 1 : (v.matches(".*T\\d{2}:\\d{2}(Z|[+-].*)?$") ? 60_000 : 1000);
            double lo = at.toEpochMilli();
            return new DateRange(lo, lo + unit, Precision.TIME, v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw FhirException.badRequest(param, "The value of " + param + " is not a FHIR date or dateTime");
        }
    }

    private static double ms(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The bucket keys a value contained in this range must carry (besides {@code :y=*} for wide values). */
    String bucketKey(String code) {
        return switch (precision) {
            case YEAR -> code + ":y=" + text;
            case MONTH -> code + ":m=" + text;
            case DAY -> code + ":d=" + text;
            case TIME -> code + ":d="
                    + Instant.ofEpochMilli((long) low).atZone(ZoneOffset.UTC).toLocalDate();
        };
    }
}
