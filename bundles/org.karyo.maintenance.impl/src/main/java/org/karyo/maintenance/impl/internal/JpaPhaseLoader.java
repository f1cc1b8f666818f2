package org.karyo.maintenance.impl.internal;

import java.time.Instant;
import java.util.List;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;

/** Reads the gate's phases from {@code maintenance_phase}, through the index {@code maintenance_phase_unended_idx}. */
final class JpaPhaseLoader implements PhaseLoader {

    /** More phases than any site plans; a guard against a runaway table, not a business rule. */
    static final int MAX_PHASES = 10_000;

    private final JpaTemplate jpa;

    JpaPhaseLoader(JpaTemplate jpa) {
        this.jpa = jpa;
    }

    @Override
    public List<GatePhase> unended(Instant now) {
        return jpa.txExpr(TransactionType.Required, em -> em
                .createQuery(
                        "select p from MaintenancePhaseEntity p where p.deletedAt is null and p.endDatetime > :now"
                                + " order by p.startDatetime, p.id",
                        MaintenancePhaseEntity.class)
                .setParameter("now", now)
                .setMaxResults(MAX_PHASES)
                .getResultList()
                .stream()
                .map(MaintenancePhaseEntity::toGatePhase)
                .toList());
    }
}
