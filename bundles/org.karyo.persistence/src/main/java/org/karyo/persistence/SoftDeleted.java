package org.karyo.persistence;

/** An entity that is marked deleted rather than removed; {@link Writes.Tx#lock} treats a deleted one as missing. */
public interface SoftDeleted {
    /** Whether the entity is marked deleted. */
    boolean deleted();
}
