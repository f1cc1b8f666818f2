package org.karyo.persistence;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Constants and small functions every module's persistence uses. */
public final class Persistence {

    /**
     * The target filter of the platform's DataSource, for {@code @Reference(target = ...)}. A module's persistence unit
     * is {@code karyo-<module>}: {@code @Reference(target = "(osgi.unit.name=karyo-<module>)") JpaTemplate}.
     */
    public static final String DATA_SOURCE = "(osgi.jndi.service.name=jdbc/karyo)";

    private Persistence() {}

    /** Now, at PostgreSQL's precision, so that what a write returns equals what a later read returns. */
    public static Instant now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
