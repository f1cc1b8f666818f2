package org.karyo.accesses.alerts.internal;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.karyo.api.EnvOverrides;

/**
 * The effective configuration of the expiry alerts: {@link ExpiryAlertJob.Config} with the environment's overrides
 * applied and every value checked.
 *
 * @param enabled whether alerts are sent at all (Cohort360's {@code ENABLE_ACCESS_EXPIRY_ALERTS})
 * @param intervalMinutes how often the job runs
 * @param thresholds days before the end at which an alert is due, ascending (by default 2 and 30)
 * @param subject the subject template ({@code {{days}}}, {@code {{count}}}, {@code {{name}}}, {@code {{username}}})
 * @param zone the time zone in which end dates are written in the mails
 */
record AlertSettings(boolean enabled, int intervalMinutes, List<Integer> thresholds, String subject, ZoneId zone) {

    static final String ENABLED = "enabled";
    static final String INTERVAL = "interval.minutes";
    static final String THRESHOLDS = "thresholds.days";
    static final String SUBJECT = "subject";
    static final String ZONE = "time.zone";

    static final String ENV_ENABLED = "KARYO_ACCESS_EXPIRY_ALERTS";
    static final String ENV_INTERVAL = "KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES";
    static final String ENV_THRESHOLDS = "KARYO_ACCESS_EXPIRY_ALERTS_THRESHOLDS_DAYS";
    static final String ENV_SUBJECT = "KARYO_ACCESS_EXPIRY_ALERTS_SUBJECT";
    static final String ENV_ZONE = "KARYO_ACCESS_EXPIRY_ALERTS_TIME_ZONE";

    static final int MAX_THRESHOLD_DAYS = 366;

    AlertSettings {
        thresholds = List.copyOf(thresholds);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(zone, "zone");
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("at least one threshold");
        }
    }

    /** The largest threshold: how far ahead the job looks. */
    int horizonDays() {
        return thresholds.get(thresholds.size() - 1);
    }

    /**
     * Applies the environment to the configured values and checks them.
     *
     * @throws IllegalArgumentException naming the key (and its variable) whose value is wrong
     */
    static AlertSettings resolve(ExpiryAlertJob.Config config, EnvOverrides env) {
        boolean enabled = booleanValue(env, ENV_ENABLED, ENABLED, config.enabled());
        int interval;
        try {
            interval = env.getInt(ENV_INTERVAL, config.interval_minutes());
        } catch (IllegalArgumentException e) {
            throw invalid(INTERVAL, ENV_INTERVAL, "must be an integer, not '" + env.get(ENV_INTERVAL, "") + "'");
        }
        if (interval < 1 || interval > 1440) {
            throw invalid(INTERVAL, ENV_INTERVAL, "must be between 1 and 1440 minutes, not " + interval);
        }
        List<Integer> thresholds = thresholds(env.get(ENV_THRESHOLDS, config.thresholds_days()));
        String subject = env.get(ENV_SUBJECT, config.subject());
        if (subject == null || subject.isBlank()) {
            throw invalid(SUBJECT, ENV_SUBJECT, "must not be empty");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(env.get(ENV_ZONE, config.time_zone()).trim());
        } catch (DateTimeException e) {
            throw invalid(ZONE, ENV_ZONE, "is not a time zone id (such as UTC or Europe/Paris)");
        }
        return new AlertSettings(enabled, interval, thresholds, subject.strip(), zone);
    }

    private static List<Integer> thresholds(String value) {
        TreeSet<Integer> days = new TreeSet<>();
        for (String part : (value == null ? "" : value).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int d;
            try {
                d = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw invalid(
                        THRESHOLDS, ENV_THRESHOLDS, "must be a comma-separated list of days, not '" + value + "'");
            }
            if (d < 1 || d > MAX_THRESHOLD_DAYS) {
                throw invalid(
                        THRESHOLDS, ENV_THRESHOLDS, "days must be between 1 and " + MAX_THRESHOLD_DAYS + ", not " + d);
            }
            days.add(d);
        }
        if (days.isEmpty()) {
            throw invalid(THRESHOLDS, ENV_THRESHOLDS, "must name at least one number of days");
        }
        return new ArrayList<>(days);
    }

    private static boolean booleanValue(EnvOverrides env, String variable, String key, boolean configured) {
        String v = env.get(variable, null);
        if (v == null) {
            return configured;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, variable, "must be true or false, not '" + v + "'");
        };
    }

    private static IllegalArgumentException invalid(String key, String variable, String problem) {
        return new IllegalArgumentException(String.format(
                Locale.ROOT, "Invalid access expiry alert configuration: %s (env %s) %s", key, variable, problem));
    }
}
