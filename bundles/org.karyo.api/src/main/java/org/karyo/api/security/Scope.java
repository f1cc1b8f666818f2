package org.karyo.api.security;

import java.util.Arrays;
import java.util.Collection;

/**
 * Where a caller holds a right: everywhere ({@link #all()}, a global right or a full administrator) or on a set of
 * perimeter nodes, already expanded down the tree for inherited rights. List queries filter with
 * {@code perimeter_id = any(?)} bound to {@link #perimeterIds()} unless {@link #isAll()}.
 */
public final class Scope {
    private static final Scope ALL = new Scope(true, new long[0]);
    private static final Scope NONE = new Scope(false, new long[0]);

    private final boolean all;
    private final long[] ids;

    private Scope(boolean all, long[] sortedIds) {
        this.all = all;
        this.ids = sortedIds;
    }

    /** Every perimeter. */
    public static Scope all() {
        return ALL;
    }

    /** No perimeter. */
    public static Scope none() {
        return NONE;
    }

    /** Exactly these perimeter nodes. */
    public static Scope of(Collection<Long> perimeterIds) {
        if (perimeterIds.isEmpty()) {
            return NONE;
        }
        long[] sorted = perimeterIds.stream()
                .mapToLong(Long::longValue)
                .sorted()
                .distinct()
                .toArray();
        return new Scope(false, sorted);
    }

    /** Whether the scope covers every perimeter. */
    public boolean isAll() {
        return all;
    }

    /** Whether the scope covers nothing. */
    public boolean isEmpty() {
        return !all && ids.length == 0;
    }

    /** Whether the scope covers {@code perimeterId}. */
    public boolean contains(long perimeterId) {
        return all || Arrays.binarySearch(ids, perimeterId) >= 0;
    }

    /** The covered nodes, sorted; empty when {@link #isAll()} (test that first). */
    public long[] perimeterIds() {
        return ids.clone();
    }

    /** The covered nodes as boxed values, for a JDBC array parameter. */
    public Long[] boxedPerimeterIds() {
        return Arrays.stream(ids).boxed().toArray(Long[]::new);
    }

    @Override
    public String toString() {
        return all ? "Scope[all]" : "Scope" + Arrays.toString(ids);
    }
}
