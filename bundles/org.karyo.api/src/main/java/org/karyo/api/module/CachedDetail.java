package org.karyo.api.module;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The detail of an expensive {@link ReadinessCheck} (one that walks every component or asks a runtime for its whole
 * state), kept so that health probes stay cheap: the first call evaluates at once; later calls answer the last
 * evaluation and, once it is older than the time to live, start one new evaluation on the executor without waiting for
 * it. A probe therefore sees a state at most about one time to live (plus one evaluation) old.
 */
public final class CachedDetail {
    private final Supplier<String> evaluation;
    private final long ttlNanos;
    private final Executor executor;
    private final LongSupplier clock;

    private boolean evaluated;
    private String last;
    private long evaluatedAt;
    private boolean refreshing;

    /**
     * @param evaluation computes the detail: {@code null} when ready, else what is wrong
     * @param ttl how long an evaluation is answered before a new one starts
     * @param executor where later evaluations run (the first runs in the caller)
     * @param clock a {@link System#nanoTime()}-like clock
     */
    public CachedDetail(Supplier<String> evaluation, Duration ttl, Executor executor, LongSupplier clock) {
        this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
        this.ttlNanos = ttl.toNanos();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Like the four-argument constructor, with the common pool and {@link System#nanoTime()}. */
    public CachedDetail(Supplier<String> evaluation, Duration ttl) {
        this(evaluation, ttl, ForkJoinPool.commonPool(), System::nanoTime);
    }

    /** The last evaluation's detail; {@code null} means ready. */
    public String get() {
        boolean first;
        synchronized (this) {
            first = !evaluated;
            if (!first) {
                if (!refreshing && clock.getAsLong() - evaluatedAt >= ttlNanos) {
                    refreshing = true;
                    executor.execute(this::refresh);
                }
                return last;
            }
        }
        String value = evaluation.get();
        synchronized (this) {
            if (!evaluated) {
                store(value);
            }
            return last;
        }
    }

    private void refresh() {
        String value;
        try {
            value = evaluation.get();
        } catch (RuntimeException e) {
            value = "the check failed: " + e.getClass().getSimpleName();
        }
        synchronized (this) {
            store(value);
            refreshing = false;
        }
    }

    private void store(String value) {
        last = value;
        evaluatedAt = clock.getAsLong();
        evaluated = true;
    }
}
