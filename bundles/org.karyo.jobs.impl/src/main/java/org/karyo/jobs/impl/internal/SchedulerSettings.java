package org.karyo.jobs.impl.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How one node schedules tasks.
 *
 * @param node this node's id
 * @param threads how many task runs this node does at once
 * @param lease how long a node may go without a heartbeat before its running task runs count as interrupted
 * @param historyDays how long finished runs stay in the history
 * @param zone the time zone cron expressions are read in (the JVM's, as the Karaf scheduler does)
 * @param schedules configured schedules by task name ({@code task.<name>.schedule})
 * @param enabled configured switches by task name ({@code task.<name>.enabled})
 */
record SchedulerSettings(
        String node,
        int threads,
        Duration lease,
        int historyDays,
        ZoneId zone,
        Map<String, String> schedules,
        Map<String, Boolean> enabled) {

    static final String PREFIX = "task.";
    static final String SCHEDULE = ".schedule";
    static final String ENABLED = ".enabled";

    SchedulerSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(zone, "zone");
        schedules = Map.copyOf(schedules);
        enabled = Map.copyOf(enabled);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (historyDays < 1) {
            throw new IllegalArgumentException("history.days must be at least 1, not " + historyDays);
        }
        for (Map.Entry<String, String> s : schedules.entrySet()) {
            try {
                Cron.parse(s.getValue(), zone);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PREFIX + s.getKey() + SCHEDULE + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads the {@code task.<name>.schedule} and {@code task.<name>.enabled} keys of a configuration.
     *
     * @throws IllegalArgumentException naming the key whose value is not a cron expression or a boolean
     */
    static SchedulerSettings of(
            String node, int threads, Duration lease, int historyDays, ZoneId zone, Map<String, ?> config) {
        Map<String, String> schedules = new TreeMap<>();
        Map<String, Boolean> enabled = new TreeMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String value = String.valueOf(e.getValue()).strip();
            if (key.endsWith(SCHEDULE) && key.length() > PREFIX.length() + SCHEDULE.length()) {
                String name = key.substring(PREFIX.length(), key.length() - SCHEDULE.length());
                if (!value.isEmpty()) {
                    schedules.put(name, value);
                }
            } else if (key.endsWith(ENABLED) && key.length() > PREFIX.length() + ENABLED.length()) {
                String name = key.substring(PREFIX.length(), key.length() - ENABLED.length());
                String v = value.toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
                }
                enabled.put(name, Boolean.valueOf(v));
            }
        }
        return new SchedulerSettings(node, threads, lease, historyDays, zone, schedules, enabled);
    }
}
