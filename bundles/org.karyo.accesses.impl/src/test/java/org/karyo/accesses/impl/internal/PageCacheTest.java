package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PageCacheTest {

    private final AtomicLong millis = new AtomicLong(1_000);

    @Test
    void anEntryHoldsForItsGenerationAndLessThanTheTtl() {
        PageCache<String> cache = new PageCache<>(8, 5_000, millis::get);
        cache.put("k", 7, "page");

        assertThat(cache.get("k", 7)).isEqualTo("page");
        assertThat(cache.get("k", 8)).as("read under an older generation").isNull();
        assertThat(cache.size()).as("a stale entry is dropped").isZero();

        cache.put("k", 8, "page");
        millis.addAndGet(4_999);
        assertThat(cache.get("k", 8)).isEqualTo("page");
        millis.addAndGet(1);
        assertThat(cache.get("k", 8)).isNull();
    }

    @Test
    void theLeastRecentlyReadEntryGoesFirstWhenFull() {
        PageCache<String> cache = new PageCache<>(2, 5_000, millis::get);
        cache.put("a", 1, "A");
        cache.put("b", 1, "B");
        assertThat(cache.get("a", 1)).isEqualTo("A");
        cache.put("c", 1, "C");

        assertThat(cache.get("b", 1)).isNull();
        assertThat(cache.get("a", 1)).isEqualTo("A");
        assertThat(cache.get("c", 1)).isEqualTo("C");
    }

    @Test
    void aTtlOfZeroKeepsNothing() {
        PageCache<String> cache = new PageCache<>(2, 0, millis::get);
        cache.put("a", 1, "A");
        assertThat(cache.get("a", 1)).isNull();
        assertThat(cache.size()).isZero();
    }
}
