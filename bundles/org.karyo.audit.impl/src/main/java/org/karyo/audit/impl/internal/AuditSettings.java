package org.karyo.audit.impl.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.karyo.api.EnvOverrides;
import org.karyo.api.PageRequest;

/**
 * The effective configuration of the audit module: {@link AuditComponent.Config} with the environment's overrides
 * applied and checked.
 *
 * @param checkpointInterval how often the chain head is signed
 * @param checkpointFile where the signed checkpoints are appended
 * @param maxPageSize the largest page a list may ask for
 */
record AuditSettings(Duration checkpointInterval, Path checkpointFile, int maxPageSize) {

    static final String INTERVAL = "checkpoint.interval.minutes";
    static final String FILE = "checkpoint.file";
    static final String MAX_PAGE_SIZE = "max.page.size";

    static final String ENV_INTERVAL = "KARYO_AUDIT_CHECKPOINT_INTERVAL_MINUTES";
    static final String ENV_FILE = "KARYO_AUDIT_CHECKPOINT_FILE";
    static final String ENV_MAX_PAGE_SIZE = "KARYO_AUDIT_MAX_PAGE_SIZE";

    static final int MAX_INTERVAL_MINUTES = 7 * 24 * 60;
    private static final String KARAF_BASE = "${karaf.base}";

    /**
     * Applies the environment and checks the values.
     *
     * @param karafBase {@code karaf.base}, for the default checkpoint file; {@code null} outside Karaf (the working
     *     folder then)
     * @throws IllegalArgumentException naming the key (and its variable) whose value is wrong
     */
    static AuditSettings resolve(AuditComponent.Config config, EnvOverrides env, String karafBase) {
        int minutes = intValue(env, ENV_INTERVAL, INTERVAL, config.checkpoint_interval_minutes());
        if (minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
            throw invalid(INTERVAL, ENV_INTERVAL, "must be between 1 and " + MAX_INTERVAL_MINUTES + ", not " + minutes);
        }
        int maxPage = intValue(env, ENV_MAX_PAGE_SIZE, MAX_PAGE_SIZE, config.max_page_size());
        if (maxPage < PageRequest.DEFAULT_LIMIT || maxPage > 100_000) {
            throw invalid(
                    MAX_PAGE_SIZE,
                    ENV_MAX_PAGE_SIZE,
                    "must be between " + PageRequest.DEFAULT_LIMIT + " and 100000, not " + maxPage);
        }
        String base = karafBase != null ? karafBase : System.getProperty("user.dir");
        String configured = env.get(ENV_FILE, config.checkpoint_file());
        String file = configured == null || configured.isBlank()
                ? base + "/var/audit/checkpoints.jsonl"
                : configured.strip().replace(KARAF_BASE, base);
        if (file.contains("${")) {
            throw invalid(FILE, ENV_FILE, "has an unresolved placeholder: " + file);
        }
        return new AuditSettings(
                Duration.ofMinutes(minutes), Path.of(file).toAbsolutePath().normalize(), maxPage);
    }

    /** {@code ${karaf.base}/var}: where the dev profile keeps its generated HMAC key. */
    static Path varDir(String karafBase) {
        return Path.of(karafBase != null ? karafBase : System.getProperty("user.dir"), "var")
                .toAbsolutePath()
                .normalize();
    }

    private static int intValue(EnvOverrides env, String variable, String key, int configured) {
        try {
            return env.getInt(variable, configured);
        } catch (IllegalArgumentException e) {
            throw invalid(key, variable, "must be an integer, not '" + env.get(variable, "") + "'");
        }
    }

    private static IllegalArgumentException invalid(String key, String variable, String problem) {
        return new IllegalArgumentException(
                String.format(Locale.ROOT, "Invalid audit configuration: %s (env %s) %s", key, variable, problem));
    }
}
