package org.karyo.jobs.impl.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A Quartz cron expression ({@code seconds minutes hours day-of-month month day-of-week [year]}, as the Karaf scheduler
 * reads it), evaluated with cron-utils in one time zone: the next firing after a time, and the <em>slot</em> of a
 * firing, the cron time it stands for, which every node computes alike from its own clock.
 */
final class Cron {

    /**
     * How early a firing may come: Quartz fires up to a few milliseconds before the cron time, so a firing this close
     * before a cron time belongs to that time.
     */
    static final Duration EARLY = Duration.ofMillis(100);

    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final String expression;
    private final ExecutionTime times;
    private final ZoneId zone;

    private Cron(String expression, ExecutionTime times, ZoneId zone) {
        this.expression = expression;
        this.times = times;
        this.zone = zone;
    }

    /**
     * Parses a Quartz cron expression.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Cron parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        String e = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
        int fields = e.isEmpty() ? 0 : e.split(" ").length;
        if (fields < 6 || fields > 7) {
            throw new IllegalArgumentException("'" + e + "' is not a Quartz cron expression: it needs 6 or 7 fields"
                    + " (seconds minutes hours day-of-month month day-of-week [year]), such as '0 30 3 * * ?'");
        }
        try {
            return new Cron(e, ExecutionTime.forCron(PARSER.parse(e)), zone);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + e + "' is not a Quartz cron expression: " + ex.getMessage(), ex);
        }
    }

    String expression() {
        return expression;
    }

    /** The first firing strictly after {@code t}, or empty when there is none (a past year). */
    Optional<Instant> next(Instant t) {
        // cron-utils keeps the fraction of a second of its input when the seconds field is '*': work in whole seconds
        return times.nextExecution(seconds(t)).map(ZonedDateTime::toInstant);
    }

    /**
     * The slot of a firing that happened at {@code firedAt}: the latest cron time at or before {@code firedAt}
     * (allowing for {@link #EARLY} firings), or empty when the expression never fired before.
     */
    Optional<Instant> slot(Instant firedAt) {
        ZonedDateTime probe = seconds(firedAt.plus(EARLY));
        if (times.isMatch(probe)) {
            return Optional.of(probe.toInstant());
        }
        // cron-utils answers the last cron time strictly before its input
        return times.lastExecution(probe).map(ZonedDateTime::toInstant);
    }

    private ZonedDateTime seconds(Instant t) {
        return ZonedDateTime.ofInstant(t.truncatedTo(ChronoUnit.SECONDS), zone);
    }

    @Override
    public String toString() {
        return expression;
    }
}
