package org.karyo.persistence;

/**
 * An entity with an optimistic-lock version ({@code @Version}); {@link Writes.Tx#lock} compares it with the version a
 * client sent in {@code If-Match}.
 */
public interface Versioned {
    /** The stored version. */
    long version();
}
