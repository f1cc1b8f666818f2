package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/**
 * The import's rate on generated data: {@value #PATIENTS} Patients and {@value #OBSERVATIONS} Observations (the
 * Observations' file named first), through the whole job (parsing, index, COPY, reference checks), after a warm-up
 * import of other resources ({@code -Dkaryo.fhir.import.warmup=<lines>}, 5,000 by default; 20,000 or more for a figure
 * of record, when the JIT has compiled the parse path). It prints resources per second and the CPU the JVM and the
 * PostgreSQL backends spent, which does not depend on what else the machine runs; the floor it asserts only catches a
 * path gone per-row.
 */
class ImportRateTest {
    static final int PATIENTS = 2_000;
    static final int OBSERVATIONS = 18_000;
    private static BulkTestEnv env;

    @BeforeAll
    static void start() {
        env = new BulkTestEnv(false);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void twentyThousandResourcesAreImportedInBulk() {
        // a warm-up import of the same shapes with other ids (the JIT, HAPI's definitions), then the measured one
        int lines = Integer.getInteger("karyo.fhir.import.warmup", 5_000);
        env.file("warm/Patient.ndjson", patients("w", Math.max(1, lines / 10)));
        env.file("warm/Observation.ndjson", observations("w", lines - lines / 10, Math.max(1, lines / 10)));
        Job warm = env.await(env.service.start(ADMIN, ImportRequest.ofFiles(List.of("warm"), null)));
        assertThat(warm.state()).as(warm.error()).isEqualTo(JobState.SUCCEEDED);
        env.file("rate/Observation.ndjson", observations("r", OBSERVATIONS, PATIENTS));
        env.file("rate/Patient.ndjson", patients("r", PATIENTS));
        measure();
    }

    private static List<String> patients(String prefix, int count) {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            patients.add(Lines.patient(prefix + "p" + i, "Family" + (i % 97), null));
        }
        return patients;
    }

    private static List<String> observations(String prefix, int count, int patients) {
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            observations.add(Lines.observation(
                    prefix + "o" + i,
                    prefix + "p" + (i % patients),
                    null,
                    i % 3 == 0 ? "8310-5" : "8867-4",
                    40 + (i % 80),
                    "2024-0" + (1 + i % 9) + "-1" + (i % 10) + "T10:15:00+02:00"));
        }
        return observations;
    }

    private static void measure() {
        long[] pg0 = postgresCpuMillis();
        long java0 = javaCpuMillis();
        long t0 = System.nanoTime();
        Job job = env.await(env.service.start(
                ADMIN, ImportRequest.ofFiles(List.of("rate/Observation.ndjson", "rate/Patient.ndjson"), null)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long javaCpu = javaCpuMillis() - java0;
        long[] pg1 = postgresCpuMillis();
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        int n = PATIENTS + OBSERVATIONS;
        assertThat(job.result())
                .containsEntry("resources.stored", Integer.toString(n))
                .containsEntry("lines.refused", "0")
                .containsEntry("references.unresolved", "0");
        double rate = n / seconds;
        System.out.printf(
                "FHIR bulk import: %d resources in %.2f s = %.0f resources/s (%d parse threads, %d processors, load"
                        + " average %.1f)%n",
                n,
                seconds,
                rate,
                2,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        if (pg0 != null && pg1 != null && javaCpu >= 0) {
            long pgCpu = pg1[0] - pg0[0];
            double perResource = (javaCpu + pgCpu) * 1000.0 / n;
            // what two otherwise idle cores would do: all the CPU the import used, spread over both
            System.out.printf(
                    "  CPU: JVM %d ms + PostgreSQL %d ms = %.0f us per resource, so about %.0f resources/s on 2 idle"
                            + " cores%n",
                    javaCpu, pgCpu, perResource, 2e6 / perResource);
        }
        assertThat(env.ids("Observation", "subject=Patient/rp7&code=8310-5")).isNotEmpty();
        assertThat(rate).isGreaterThan(500);
    }

    /** The CPU time of this JVM, or -1. */
    private static long javaCpuMillis() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1_000_000;
        }
        return -1;
    }

    /** The CPU time of the PostgreSQL backends serving the test database (Linux, same machine), or {@code null}. */
    private static long[] postgresCpuMillis() {
        try {
            List<Long> pids = env.store
                    .sql()
                    .list("SELECT pid FROM pg_stat_activity WHERE datname = current_database()", rs -> rs.getLong(1));
            long ticks = 0;
            for (long pid : pids) {
                java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
                if (!java.nio.file.Files.isReadable(stat)) {
                    return null;
                }
                String[] f = java.nio.file.Files.readString(stat)
                        .substring(java.nio.file.Files.readString(stat).lastIndexOf(')') + 2)
                        .split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
            return new long[] {ticks * 10};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
