package org.karyo.accesses.impl.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Recently read pages of a list, as Cohort360's response cache keeps them (its {@code ENABLE_CACHE}): an entry holds
 * while the module's change generation is the one it was read under (every write of the accesses module bumps it after
 * its commit) and at most {@code ttlMillis} (what changed outside the module: another node, a SQL console). Values must
 * be immutable and must not depend on the caller or on the time: the caller-dependent part of a row is computed at each
 * read. Bounded, least recently used first out.
 */
final class PageCache<V> {

    private record Entry<V>(long generation, long readAt, V value) {}

    private final int capacity;
    private final long ttlMillis;
    private final LongSupplier millisClock;
    private final Map<String, Entry<V>> entries;

    PageCache(int capacity, long ttlMillis, LongSupplier millisClock) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.millisClock = millisClock;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > PageCache.this.capacity;
            }
        };
    }

    /** The value read under {@code generation} less than the TTL ago, or {@code null}. */
    synchronized V get(String key, long generation) {
        if (ttlMillis <= 0) {
            return null;
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.generation() != generation || millisClock.getAsLong() - e.readAt() >= ttlMillis) {
            entries.remove(key);
            return null;
        }
        return e.value();
    }

    /** Keeps {@code value}, read under {@code generation} (taken before the read began). */
    synchronized void put(String key, long generation, V value) {
        if (ttlMillis > 0) {
            entries.put(key, new Entry<>(generation, millisClock.getAsLong(), value));
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
