package org.karyo.auth.shell.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --expires} of a token: a number of days from now, an ISO date or an ISO date-time with offset. */
final class Expiry {
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})\\s*(d|days?)?", Pattern.CASE_INSENSITIVE);

    private Expiry() {}

    /**
     * When a token given {@code raw} expires: {@code 90} or {@code 90d} is 90 days from now, {@code 2027-01-31} is
     * midnight UTC at the start of that day, {@code 2027-01-31T18:00:00+01:00} is that instant.
     *
     * @throws IllegalArgumentException naming {@code --expires} when {@code raw} is none of these
     */
    static Instant parse(String raw, Clock clock) {
        String s = raw == null ? "" : raw.strip();
        Matcher days = DAYS.matcher(s);
        if (days.matches()) {
            int n = Integer.parseInt(days.group(1));
            if (n < 1) {
                throw new IllegalArgumentException("--expires must be at least 1 day");
            }
            return clock.instant().plus(Duration.ofDays(n));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // not a date-time: maybe a date
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--expires must be a number of days (90 or 90d), an ISO date (2027-01-31, midnight UTC) or an"
                            + " ISO date-time with offset (2027-01-31T18:00:00Z), not '" + raw + "'",
                    e);
        }
    }
}
