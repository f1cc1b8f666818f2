package org.karyo.rest.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.karyo.api.json.Nullable;
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.tx.DatabaseStatus;

/**
 * The platform's health, computed from what is known right now: ready when the database is present and up, the
 * module registry is running with every module {@link ModuleState#ACTIVE}, and every readiness check is ready.
 */
final class Health {
    static final String UP = "UP";
    static final String STARTING = "STARTING";
    static final String DEGRADED = "DEGRADED";

    /**
     * The public answer of {@code /api/health}: {@code waiting_for} names what keeps the platform from being ready
     * (the database, a module and its reason, a readiness check), empty when it is ready. It never holds a secret:
     * only module names, states and the reasons the modules give.
     */
    record HealthSummary(boolean live, boolean ready, String status, List<String> waitingFor) {}

    /** The database part of the detail: {@code status} is {@code null} while no database service is registered. */
    record DatabaseHealth(boolean available, @Nullable DatabaseStatus status) {}

    /** One readiness check's answer. */
    record HealthCheck(String name, boolean ready, @Nullable String detail) {}

    /** The administrators' answer of {@code /api/health/detail}. */
    record HealthDetail(
            boolean live,
            boolean ready,
            String status,
            DatabaseHealth database,
            boolean moduleRegistry,
            List<ModuleStatus> modules,
            List<HealthCheck> checks) {}

    private Health() {}

    /**
     * @param database the database's status, or {@code null} when no database service is registered
     * @param modules the modules, or {@code null} when no module registry is registered
     * @param checks the readiness checks' answers
     */
    static HealthDetail evaluate(DatabaseStatus database, List<ModuleStatus> modules, List<HealthCheck> checks) {
        boolean dbUp = database != null && database.up();
        boolean registry = modules != null;
        List<ModuleStatus> mods = registry ? modules : List.of();
        boolean failed = mods.stream().anyMatch(m -> m.state() == ModuleState.FAILED);
        boolean allActive = mods.stream().allMatch(m -> m.state() == ModuleState.ACTIVE);
        boolean checksReady = checks.stream().allMatch(HealthCheck::ready);
        boolean ready = dbUp && registry && allActive && checksReady;
        String status;
        if (ready) {
            status = UP;
        } else if ((database != null && !database.up()) || failed) {
            status = DEGRADED;
        } else {
            status = STARTING;
        }
        return new HealthDetail(
                true,
                ready,
                status,
                new DatabaseHealth(database != null, database),
                registry,
                List.copyOf(mods),
                List.copyOf(new ArrayList<>(checks)));
    }

    static HealthSummary summary(HealthDetail d) {
        return new HealthSummary(d.live(), d.ready(), d.status(), waitingFor(d));
    }

    /** What the platform waits for, one line each, in a stable order; empty when it is ready. */
    static List<String> waitingFor(HealthDetail d) {
        List<String> out = new ArrayList<>();
        if (d.ready()) {
            return List.of();
        }
        if (!d.database().available()) {
            out.add("database: no database service (is the karyo-core feature installed and its configuration valid?)");
        } else if (d.database().status() == null || !d.database().status().up()) {
            out.add("database: not reachable");
        }
        if (!d.moduleRegistry()) {
            out.add("modules: the module registry is not running");
        }
        for (ModuleStatus m : d.modules()) {
            if (m.state() != ModuleState.ACTIVE) {
                String why = m.detail() == null || m.detail().isBlank() ? "" : ": " + m.detail();
                out.add("module " + m.module() + ": " + m.state() + why);
            }
        }
        for (HealthCheck c : d.checks()) {
            if (!c.ready()) {
                String why = c.detail() == null || c.detail().isBlank() ? "" : ": " + c.detail();
                out.add("check " + c.name() + why);
            }
        }
        return out.stream().map(Health::redact).toList();
    }

    private static final Pattern SECRET_VALUE =
            Pattern.compile("(?i)(password|passwd|secret|token|key)(\\s*[=:]\\s*)[^\\s,;&]+");
    private static final Pattern USER_INFO = Pattern.compile("://[^/@\\s]+@");

    /**
     * A reason as the public may read it: values that follow a password, secret, token or key name, and the user
     * part of URLs, are masked (a failure text may quote a connection string).
     */
    static String redact(String reason) {
        String r = SECRET_VALUE.matcher(reason).replaceAll("$1$2***");
        return USER_INFO.matcher(r).replaceAll("://***@");
    }
}
