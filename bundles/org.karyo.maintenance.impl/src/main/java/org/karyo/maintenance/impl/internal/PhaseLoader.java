package org.karyo.maintenance.impl.internal;

import java.time.Instant;
import java.util.List;

/** Where the gate reads the phases from: the database in production, a list in unit tests. */
@FunctionalInterface
interface PhaseLoader {
    /** The live (not deleted) phases that have not ended at {@code now}. */
    List<GatePhase> unended(Instant now);
}
