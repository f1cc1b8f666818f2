package org.karyo.rest.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.tx.DatabaseStatus;

/** Readiness rules and the database probe's cache and timeout. */
class HealthTest {
    private static final DatabaseStatus UP = new DatabaseStatus(true, true, "16.4", "karyo", 1, 4, 10);
    private static final DatabaseStatus DOWN = new DatabaseStatus(false, true, null, "karyo", 0, 0, 10);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static ModuleStatus module(String name, ModuleState state) {
        return new ModuleStatus(name, "org.karyo." + name + ".impl", state, "1", null, Instant.EPOCH);
    }

    @Test
    void readyWhenDatabaseUpModulesActiveAndChecksReady() {
        Health.HealthDetail d = Health.evaluate(
                UP,
                List.of(module("content", ModuleState.ACTIVE)),
                List.of(new Health.HealthCheck("storage", true, null)));
        assertThat(d.ready()).isTrue();
        assertThat(d.live()).isTrue();
        assertThat(d.status()).isEqualTo("UP");
        assertThat(Health.summary(d)).isEqualTo(new Health.HealthSummary(true, true, "UP", List.of()));
    }

    @Test
    void startingWhileSomethingIsMissingOrMigrating() {
        assertThat(Health.evaluate(null, List.of(), List.of()).status()).isEqualTo("STARTING");
        assertThat(Health.evaluate(UP, null, List.of()).ready()).isFalse();
        assertThat(Health.evaluate(UP, null, List.of()).moduleRegistry()).isFalse();
        Health.HealthDetail migrating =
                Health.evaluate(UP, List.of(module("content", ModuleState.MIGRATING)), List.of());
        assertThat(migrating.ready()).isFalse();
        assertThat(migrating.status()).isEqualTo("STARTING");
        assertThat(Health.evaluate(UP, List.of(), List.of(new Health.HealthCheck("x", false, "warming up")))
                        .status())
                .isEqualTo("STARTING");
    }

    @Test
    void theSummarySaysWhatThePlatformWaitsFor() {
        ModuleStatus auth = new ModuleStatus(
                "auth",
                "org.karyo.auth.impl",
                ModuleState.MIGRATING,
                "1",
                "KARYO_MASTER_KEY is not set (the dev profile is off)",
                Instant.EPOCH);
        Health.HealthDetail d = Health.evaluate(
                DOWN,
                List.of(auth, module("content", ModuleState.ACTIVE)),
                List.of(new Health.HealthCheck("rest", false, "resource x is not served")));
        assertThat(Health.summary(d).waitingFor())
                .containsExactly(
                        "database: not reachable",
                        "module auth: MIGRATING: KARYO_MASTER_KEY is not set (the dev profile is off)",
                        "check rest: resource x is not served");
        assertThat(Health.summary(Health.evaluate(null, null, List.of())).waitingFor())
                .containsExactly(
                        "database: no database service (is the karyo-core feature installed and its configuration"
                                + " valid?)",
                        "modules: the module registry is not running");
    }

    @Test
    void theReasonsNeverShowASecret() {
        assertThat(Health.redact("DataSource failed: jdbc:postgresql://db/karyo?user=k&password=hunter2 refused"))
                .doesNotContain("hunter2")
                .contains("password=***");
        assertThat(Health.redact("cannot reach https://admin:s3cr3t@minio:9000/bucket"))
                .doesNotContain("s3cr3t")
                .contains("https://***@minio:9000");
        assertThat(Health.redact("MasterKey failed to activate: KARYO_MASTER_KEY is not set"))
                .isEqualTo("MasterKey failed to activate: KARYO_MASTER_KEY is not set");
    }

    @Test
    void degradedWhenTheDatabaseIsDownOrAModuleFailed() {
        Health.HealthDetail down = Health.evaluate(DOWN, List.of(), List.of());
        assertThat(down.ready()).isFalse();
        assertThat(down.live()).isTrue();
        assertThat(down.status()).isEqualTo("DEGRADED");
        assertThat(down.database().available()).isTrue();
        Health.HealthDetail failed = Health.evaluate(
                UP,
                List.of(module("content", ModuleState.FAILED), module("maintenance", ModuleState.ACTIVE)),
                List.of());
        assertThat(failed.status()).isEqualTo("DEGRADED");
        assertThat(failed.modules()).hasSize(2);
    }

    @Test
    void probeIsCachedForItsTtl() {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        CachedProbe<DatabaseStatus> probe = new CachedProbe<>(
                () -> {
                    calls.incrementAndGet();
                    return UP;
                },
                DOWN,
                1_000,
                2_000,
                executor,
                now::get);
        assertThat(probe.get()).isEqualTo(UP);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(probe.get()).isEqualTo(UP);
        assertThat(calls).hasValue(1);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
        probe.get();
        assertThat(calls).hasValue(2);
        probe.reset();
        probe.get();
        assertThat(calls).hasValue(3);
    }

    @Test
    void aHangingOrFailingProbeReadsAsDown() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachedProbe<DatabaseStatus> hanging = new CachedProbe<>(
                () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return UP;
                },
                DOWN,
                1_000,
                1_500,
                executor,
                System::nanoTime);
        long start = System.nanoTime();
        assertThat(hanging.get()).isEqualTo(DOWN);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("the caller waited for the probe's deadline, not for the probe")
                .isBetween(1_400L, 10_000L);
        // the next caller does not wait the deadline again for the same hanging probe (a wide margin: no timing test)
        long again = System.nanoTime();
        assertThat(hanging.get()).isEqualTo(DOWN);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again)).isLessThan(1_000);
        release.countDown();

        CachedProbe<DatabaseStatus> failing = new CachedProbe<>(
                () -> {
                    throw new IllegalStateException("connection refused");
                },
                DOWN,
                1_000,
                1_000,
                executor,
                System::nanoTime);
        assertThat(failing.get()).isEqualTo(DOWN);
    }
}
