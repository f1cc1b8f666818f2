package org.karyo.storage.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskTrigger;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.StoreDescription;
import org.karyo.storage.api.SweepReport;
import org.karyo.testing.TestClock;

/** The sweep is the scheduler task storage.sweep; readiness asks the store, at most every 15 s. */
class ScheduleAndReadinessTest {

    /** The context of one run, keeping its summary. */
    static final class Run implements TaskContext {
        String summary;

        @Override
        public String task() {
            return StorageSweepTask.NAME;
        }

        @Override
        public Instant slot() {
            return Instant.parse("2026-01-01T03:30:00Z");
        }

        @Override
        public TaskTrigger trigger() {
            return TaskTrigger.SCHEDULE;
        }

        @Override
        public String node() {
            return "n1";
        }

        @Override
        public Caller caller() {
            return Caller.SYSTEM;
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void summary(String text) {
            summary = text;
        }
    }

    /** A sweeper that counts its runs and may fail. */
    static final class CountingSweeper implements StorageSweeper {
        final AtomicInteger runs = new AtomicInteger();
        RuntimeException failure;

        @Override
        public SweepReport sweep(boolean dryRun, Duration grace) {
            runs.incrementAndGet();
            assertThat(dryRun).isFalse();
            assertThat(grace).isNull();
            if (failure != null) {
                throw failure;
            }
            return new SweepReport(false, List.of(), List.of(), List.of(), 0, Leftovers.NONE);
        }
    }

    @Test
    void theSweepIsAClusterTaskOfTheSchedulerThatSaysWhatItRemoved() throws Exception {
        CountingSweeper sweeper = new CountingSweeper();
        StorageSweepTask task = new StorageSweepTask(sweeper, Map.of("grace.hours", 24));

        assertThat(task.name()).isEqualTo("storage.sweep");
        assertThat(task.scope()).isEqualTo(TaskScope.CLUSTER);
        assertThat(task.defaultSchedule()).isEqualTo("0 30 3 * * ?");
        Run run = new Run();
        task.run(run);
        assertThat(sweeper.runs).hasValue(1);
        assertThat(run.summary)
                .isEqualTo("removed 0 objects (0 bytes), aborted 0 multipart uploads, removed 0 leftover"
                        + " files (0 bytes)");

        // a failed run is thrown at the scheduler, which records it in the task's history
        sweeper.failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> task.run(new Run())).hasMessage("boom");
    }

    @Test
    void theOldScheduleKeysAreReadOnceMoreAndABadExpressionFailsTheActivation() throws Exception {
        CountingSweeper sweeper = new CountingSweeper();
        StorageSweepTask moved = new StorageSweepTask(sweeper, Map.of("schedule", " 0 0 2 * * ? ", "enabled", "true"));
        assertThat(moved.defaultSchedule()).isEqualTo("0 0 2 * * ?");

        StorageSweepTask off = new StorageSweepTask(sweeper, Map.of("enabled", "false"));
        Run run = new Run();
        off.run(run);
        assertThat(sweeper.runs).hasValue(0);
        assertThat(run.summary).startsWith("off:").contains("task.storage.sweep.enabled");

        assertThatThrownBy(() -> new StorageSweepTask(sweeper, Map.of("schedule", "daily")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Quartz cron");
    }

    /** A store whose stat answers or fails, counting calls. */
    static ObjectStore store(AtomicInteger calls, boolean[] up) {
        return (ObjectStore) Proxy.newProxyInstance(
                ScheduleAndReadinessTest.class.getClassLoader(), new Class<?>[] {ObjectStore.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "stat" -> {
                            calls.incrementAndGet();
                            if (!up[0]) {
                                throw KaryoException.unavailable(
                                        "storage-unavailable", "Object storage is unavailable", Map.of(), null);
                            }
                            return Optional.<ObjectInfo>empty();
                        }
                        case "describe" -> {
                            return new StoreDescription("minio", "http://m:9000", "b", "http://m:9000");
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    @Test
    void readinessAsksTheStoreAtMostEvery15Seconds() {
        AtomicInteger calls = new AtomicInteger();
        boolean[] up = {true};
        TestClock clock = TestClock.now();
        StorageReadiness r = new StorageReadiness(store(calls, up), clock);

        assertThat(r.name()).isEqualTo("storage");
        assertThat(r.ready()).isTrue();
        assertThat(r.detail()).isNull();
        up[0] = false;
        assertThat(r.ready()).isTrue(); // cached
        assertThat(calls).hasValue(1);
        clock.advance(Duration.ofSeconds(15));
        assertThat(r.ready()).isFalse();
        assertThat(r.detail()).isEqualTo("the minio object store does not answer");
        assertThat(calls).hasValue(2);
    }
}
