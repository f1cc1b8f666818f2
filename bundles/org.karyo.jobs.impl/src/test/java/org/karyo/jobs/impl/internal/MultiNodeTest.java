package org.karyo.jobs.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.NewJob;
import org.karyo.testing.TestCallers;

/**
 * The job facility and the scheduler with two nodes on one database: two JVMs of their own ({@link NodeMain}), each
 * running the job engine and the scheduler core with its node id and a 2-second lease. Shows that every job runs
 * exactly once and both nodes take work; that a {@code kill -9} of a node in the middle of a job leads the other node
 * to resume it (resumable) or fail it visibly (not resumable) once the lease expires; that every firing of a cluster
 * task runs once across both nodes while a per-node task runs on each; and that a node started again with the same id
 * does not run a recorded firing again.
 */
class MultiNodeTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Fixture f;
    private static Jobs submitter;
    private final Map<String, Process> nodes = new HashMap<>();

    @BeforeAll
    static void database() {
        f = new Fixture();
        f.update("CREATE TABLE public.multi_runs (job_id bigint, node text, attempt int)");
        f.update("CREATE TABLE public.multi_ticks (slot timestamptz, node text)");
        f.update("CREATE TABLE public.multi_local (slot timestamptz, node text)");
        f.update("CREATE TABLE public.multi_gate (open boolean)");
        f.update("INSERT INTO public.multi_gate VALUES (false)");
        // submits from this JVM; never started, so it runs nothing (whether a job may resume is stored at submit)
        JobEngine engine = f.engine("submitter");
        engine.addHandler("multi.quick", refuse(false));
        engine.addHandler("multi.resume", refuse(true));
        engine.addHandler("multi.fragile", refuse(false));
        submitter = f.jobs(engine);
    }

    private static JobHandler refuse(boolean resumable) {
        return new JobHandler() {
            @Override
            public Map<String, String> run(JobContext context) {
                throw new IllegalStateException("the submitter runs no job");
            }

            @Override
            public boolean resumable() {
                return resumable;
            }
        };
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private Process start(String node) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Path.of("target", "multinode-" + node + ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Xmx96m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        NodeMain.class.getName(),
                        f.db.url(),
                        node,
                        Long.toString(LEASE.toMillis()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        nodes.put(node, p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("node " + node + " started (see " + log + ")").isEqualTo("READY " + node);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("node " + node + " did not start; see " + log.toAbsolutePath(), e);
        }
        return p;
    }

    private void kill(String node) throws InterruptedException {
        Process p = nodes.remove(node);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private Job job(long id) {
        return submitter.find(id).orElseThrow();
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }

    @Test
    void twoNodesShareTheWorkOnceEachAndSurviveTheDeathOfOne() throws Exception {
        // 1. a kill -9 in the middle of two jobs on node a
        start("a");
        Job resumable = submitter.submit(TestCallers.withRights("ada"), NewJob.of("multi.resume"));
        Job fragile = submitter.submit(TestCallers.withRights("ada"), NewJob.of("multi.fragile"));
        await(
                "both jobs to run on a with a checkpoint",
                () -> job(resumable.id()).progress().done() == 1
                        && job(fragile.id()).progress().done() == 1);
        assertThat(job(resumable.id()).node()).isEqualTo("a");
        start("b");
        kill("a");
        await(
                "node b to resume the resumable job",
                () -> "b".equals(job(resumable.id()).node())
                        && job(resumable.id()).state() == JobState.RUNNING);
        await("the other job to fail", () -> job(fragile.id()).state() == JobState.FAILED);
        assertThat(job(fragile.id()).error()).isEqualTo("the node running it (a) stopped");
        f.update("UPDATE public.multi_gate SET open = true");
        await("the resumed job to succeed", () -> job(resumable.id()).state() == JobState.SUCCEEDED);
        Job resumed = job(resumable.id());
        assertThat(resumed.attempts()).isEqualTo(2);
        assertThat(resumed.result()).containsEntry("node", "b").containsEntry("resumed_from", "a");

        // 2. node a comes back with the same id; many small jobs: each runs once, both nodes take some
        start("a");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(submitter
                    .submit(TestCallers.withRights("bob"), NewJob.of("multi.quick"))
                    .id());
        }
        await("every job to succeed", () -> ids.stream().allMatch(id -> job(id).state() == JobState.SUCCEEDED));
        assertThat(f.sql.count("SELECT count(*) FROM public.multi_runs WHERE job_id = ANY(?)", (Object)
                        ids.toArray(Long[]::new)))
                .isEqualTo(ids.size());
        assertThat(f.sql.count("SELECT count(DISTINCT job_id) FROM public.multi_runs WHERE job_id = ANY(?)", (Object)
                        ids.toArray(Long[]::new)))
                .isEqualTo(ids.size());
        assertThat(f.sql.list(
                        "SELECT DISTINCT node FROM public.multi_runs WHERE job_id = ANY(?) ORDER BY node",
                        rs -> rs.getString(1),
                        (Object) ids.toArray(Long[]::new)))
                .containsExactly("a", "b");

        // 3. the schedule fires every second on both nodes: each firing of the cluster task ran once
        long slots = f.sql.count("SELECT count(DISTINCT slot) FROM public.multi_ticks");
        await(
                "three more firings",
                () -> f.sql.count("SELECT count(DISTINCT slot) FROM public.multi_ticks") >= slots + 3);
        await(
                "the per-node task to run on both nodes for one firing",
                () -> f.sql.count("SELECT count(*) FROM (SELECT slot FROM public.multi_local GROUP BY slot"
                                + " HAVING count(DISTINCT node) = 2) s")
                        > 0);
        assertNoFiringRanTwice();
        assertThat(f.sql.count("SELECT count(*) FROM karyo_jobs.task_run WHERE task = 'multi.local'"))
                .as("a per-node task keeps no history row per run")
                .isZero();
        assertThat(f.sql.count("SELECT count(*) FROM karyo_jobs.task_node WHERE task = 'multi.local'"))
                .isEqualTo(2);

        // 4. node b dies and restarts: its catch-up finds the latest firing recorded, nothing runs twice
        kill("b");
        start("b");
        long before = f.sql.count("SELECT count(DISTINCT slot) FROM public.multi_ticks");
        await(
                "two more firings",
                () -> f.sql.count("SELECT count(DISTINCT slot) FROM public.multi_ticks") >= before + 2);
        assertNoFiringRanTwice();
        assertThat(f.sql.count("SELECT count(*) FROM karyo_jobs.task_run WHERE outcome = 'RUNNING'"
                        + " AND started_at < now() - interval '5 seconds'"))
                .as("no run left running by the killed nodes")
                .isZero();
    }

    private void assertNoFiringRanTwice() {
        assertThat(f.sql.list(
                        "SELECT slot::text || ' ran ' || count(*) || ' times' FROM public.multi_ticks GROUP BY slot"
                                + " HAVING count(*) > 1",
                        rs -> rs.getString(1)))
                .isEmpty();
        assertThat(f.sql.count("SELECT count(*) FROM (SELECT node, slot FROM public.multi_local GROUP BY node, slot"
                        + " HAVING count(*) > 1) d"))
                .isZero();
    }

    @org.junit.jupiter.api.AfterEach
    void stopNodes() throws Exception {
        for (Process p : nodes.values()) {
            p.getOutputStream().close(); // a clean stop
        }
        for (Process p : nodes.values()) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        nodes.clear();
    }
}
