package org.karyo.rest.internal.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A slow check (a database round trip) answered from a short cache: at most one probe runs at a time, callers wait
 * for it at most {@code timeoutMillis}, and a probe that fails or takes too long reads as {@code fallback}.
 */
final class CachedProbe<T> {
    private final Supplier<T> probe;
    private final T fallback;
    private final long ttlNanos;
    private final long timeoutMillis;
    private final Executor executor;
    private final LongSupplier clock;

    private T last;
    private long lastAt;
    private CompletableFuture<T> inFlight;
    private long inFlightSince;

    CachedProbe(
            Supplier<T> probe, T fallback, long ttlMillis, long timeoutMillis, Executor executor, LongSupplier clock) {
        this.probe = probe;
        this.fallback = fallback;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        this.timeoutMillis = timeoutMillis;
        this.executor = executor;
        this.clock = clock;
    }

    T get() {
        CompletableFuture<T> future;
        long waitNanos;
        synchronized (this) {
            long now = clock.getAsLong();
            if (last != null && now - lastAt < ttlNanos) {
                return last;
            }
            future = inFlight;
            if (future == null || future.isDone()) {
                CompletableFuture<T> f = CompletableFuture.supplyAsync(probe, executor);
                inFlight = f;
                inFlightSince = now;
                f.whenComplete((value, error) -> completed(f, value, error));
                future = f;
            }
            // a probe that hangs is not waited for again by every caller: only up to its own deadline
            waitNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - (now - inFlightSince);
        }
        if (waitNanos <= 0 && !future.isDone()) {
            return fallback;
        }
        try {
            T value = future.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            completed(future, value, null);
            return value == null ? fallback : value;
        } catch (TimeoutException | ExecutionException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }

    private synchronized void completed(CompletableFuture<T> f, T value, Throwable error) {
        if (inFlight != f) {
            return; // already recorded, or superseded by a newer probe
        }
        inFlight = null;
        last = error != null || value == null ? fallback : value;
        lastAt = clock.getAsLong();
    }

    /** Forgets the cached answer (the probed service changed). */
    synchronized void reset() {
        last = null;
    }
}
