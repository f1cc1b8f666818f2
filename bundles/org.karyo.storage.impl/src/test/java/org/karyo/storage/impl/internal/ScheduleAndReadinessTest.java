package org.karyo.storage.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.StoreDescription;
import org.karyo.storage.api.SweepReport;
import org.karyo.testing.TestClock;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The schedule registers a Karaf scheduler job only while enabled; readiness asks the store, at most every 15 s. */
class ScheduleAndReadinessTest {

    /** What the fake framework saw. */
    static final class Framework {
        final List<Object> services = new ArrayList<>();
        final List<Dictionary<?, ?>> properties = new ArrayList<>();
        int unregistered;

        BundleContext context() {
            return (BundleContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                        if (method.getName().equals("registerService") && args[0] == Runnable.class) {
                            services.add(args[1]);
                            properties.add((Dictionary<?, ?>) args[2]);
                            return Proxy.newProxyInstance(
                                    getClass().getClassLoader(),
                                    new Class<?>[] {ServiceRegistration.class},
                                    (p, m, a) -> {
                                        if (m.getName().equals("unregister")) {
                                            unregistered++;
                                            return null;
                                        }
                                        throw new UnsupportedOperationException(m.getName());
                                    });
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
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
    void enabledRegistersACronJobForTheKarafScheduler() {
        Framework fw = new Framework();
        CountingSweeper sweeper = new CountingSweeper();
        SweepSchedule schedule = new SweepSchedule(sweeper, SweeperTest.config(Map.of("schedule", "0 0 2 * * ?")));

        schedule.start(fw.context());

        assertThat(fw.services).singleElement().isInstanceOf(Runnable.class);
        Dictionary<?, ?> p = fw.properties.get(0);
        assertThat(p.get("scheduler.name")).isEqualTo("karyo-storage-sweep");
        assertThat(p.get("scheduler.expression")).isEqualTo("0 0 2 * * ?");
        assertThat(p.get("scheduler.concurrent")).isEqualTo(Boolean.FALSE);
        ((Runnable) fw.services.get(0)).run();
        assertThat(sweeper.runs).hasValue(1);

        // a failed run is logged, never thrown at the scheduler
        sweeper.failure = KaryoException.conflict("A storage sweep is already running");
        ((Runnable) fw.services.get(0)).run();
        sweeper.failure = new IllegalStateException("boom");
        ((Runnable) fw.services.get(0)).run();
        assertThat(sweeper.runs).hasValue(3);

        schedule.stop();
        assertThat(fw.unregistered).isEqualTo(1);
    }

    @Test
    void disabledSchedulesNothingAndABadExpressionFailsTheActivation() {
        Framework fw = new Framework();
        SweepSchedule off = new SweepSchedule(
                new CountingSweeper(), SweeperTest.config(Map.of("enabled", false, "schedule", "whenever")));
        off.start(fw.context());
        assertThat(fw.services).isEmpty();
        off.stop();
        assertThat(fw.unregistered).isZero();

        assertThatThrownBy(
                        () -> new SweepSchedule(new CountingSweeper(), SweeperTest.config(Map.of("schedule", "daily"))))
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
