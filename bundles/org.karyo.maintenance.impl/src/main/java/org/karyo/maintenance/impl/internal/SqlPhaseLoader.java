package org.karyo.maintenance.impl.internal;

import java.time.Instant;
import java.util.List;
import org.karyo.persistence.Sql;

/** Reads the gate's phases from {@code maintenance_phase} ({@link MaintenanceReads#unended}). */
final class SqlPhaseLoader implements PhaseLoader {

    /** More phases than any site plans; a guard against a runaway table, not a business rule. */
    static final int MAX_PHASES = 10_000;

    private final Sql sql;

    SqlPhaseLoader(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<GatePhase> unended(Instant now) {
        return sql.list(MaintenanceReads.unended(now).limit(MAX_PHASES, 0), MaintenanceReads::gatePhase);
    }
}
