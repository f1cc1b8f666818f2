package org.karyo.accesses.api;

import java.time.Instant;
import java.util.SortedSet;

/** A named set of rights (Cohort360's {@code Role}). */
public record Role(long id, String name, SortedSet<String> rights, Instant createdAt, Instant updatedAt) {
    public boolean has(String right) {
        return rights.contains(right);
    }
}
