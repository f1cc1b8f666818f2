package org.karyo.rest.internal;

import java.util.ArrayList;
import java.util.List;
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

    /** The public answer of {@code /api/health}. */
    record HealthSummary(boolean live, boolean ready, String status) {}

    /** The database part of the detail: {@code status} is {@code null} while no database service is registered. */
    record DatabaseHealth(boolean available, DatabaseStatus status) {}

    /** One readiness check's answer. */
    record HealthCheck(String name, boolean ready, String detail) {}

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
        return new HealthSummary(d.live(), d.ready(), d.status());
    }
}
