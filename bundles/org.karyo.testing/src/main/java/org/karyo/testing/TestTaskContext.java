package org.karyo.testing;

import java.time.Instant;
import java.util.Objects;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskTrigger;

/**
 * The context of one run of a {@link org.karyo.jobs.api.ScheduledTask} that a test calls directly, as a manual run on
 * node {@code test} by {@link Caller#SYSTEM}: it keeps the run's summary. The scheduler itself is tested in
 * {@code org.karyo.jobs.impl}; a module's test checks what its task does.
 */
public final class TestTaskContext implements TaskContext {
    private final String task;
    private final Instant slot;
    private volatile boolean cancelled;
    private volatile String summary;

    public TestTaskContext(String task, Instant slot) {
        this.task = Objects.requireNonNull(task, "task");
        this.slot = Objects.requireNonNull(slot, "slot");
    }

    /** A run of {@code task} now. */
    public static TestTaskContext of(String task) {
        return new TestTaskContext(task, Instant.now());
    }

    /** Asks the run to stop, as a node shutting down does. */
    public void cancel() {
        cancelled = true;
    }

    /** The summary the run gave, or {@code null}. */
    public String summary() {
        return summary;
    }

    @Override
    public String task() {
        return task;
    }

    @Override
    public Instant slot() {
        return slot;
    }

    @Override
    public TaskTrigger trigger() {
        return TaskTrigger.MANUAL;
    }

    @Override
    public String node() {
        return "test";
    }

    @Override
    public Caller caller() {
        return Caller.SYSTEM;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void summary(String text) {
        summary = text;
    }
}
