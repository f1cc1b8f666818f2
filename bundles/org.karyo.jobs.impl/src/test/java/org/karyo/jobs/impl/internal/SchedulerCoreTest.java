package org.karyo.jobs.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskOutcome;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;
import org.karyo.jobs.api.TaskTrigger;
import org.karyo.testing.TestCallers;

class SchedulerCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant SLOT = Instant.parse("2026-03-01T03:30:00Z");

    private static Fixture f;
    private final Caller operator = TestCallers.withRights("ops", JobRights.TASKS_MANAGE);
    private final TestClock clock = new TestClock(SLOT.plusMillis(40));

    @BeforeAll
    static void database() {
        f = new Fixture();
    }

    @AfterEach
    void reset() {
        f.reset();
    }

    @AfterAll
    static void close() {
        f.close();
    }

    /** A trigger that only records what is scheduled: the tests fire by hand. */
    static final class Schedules implements SchedulerCore.Trigger {
        final Map<String, String> scheduled = new ConcurrentHashMap<>();

        @Override
        public void schedule(String task, String expression, Runnable fire) {
            scheduled.put(task, expression);
        }

        @Override
        public void unschedule(String task) {
            scheduled.remove(task);
        }
    }

    /** A task that records each run (node, slot, trigger) and runs {@code body}. */
    static final class Recorder implements ScheduledTask {
        final String name;
        final TaskScope scope;
        final boolean catchUp;
        final List<String> runs = new CopyOnWriteArrayList<>();
        volatile Body body = c -> {};

        Recorder(String name, TaskScope scope, boolean catchUp) {
            this.name = name;
            this.scope = scope;
            this.catchUp = catchUp;
        }

        interface Body {
            void run(TaskContext c) throws Exception;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "records its runs";
        }

        @Override
        public String defaultSchedule() {
            return "0 30 3 * * ?";
        }

        @Override
        public TaskScope scope() {
            return scope;
        }

        @Override
        public boolean catchUp() {
            return catchUp;
        }

        @Override
        public void run(TaskContext c) throws Exception {
            runs.add(c.node() + "@" + c.slot() + "/" + c.trigger());
            body.run(c);
        }
    }

    private record Node(JobEngine engine, Jobs jobs, SchedulerCore core, Schedules schedules) {}

    private Node node(String id, Map<String, ?> config, ScheduledTask... tasks) {
        JobEngine engine = f.engine(id);
        Jobs jobs = f.jobs(engine);
        Schedules schedules = new Schedules();
        SchedulerSettings settings = SchedulerSettings.of(id, 2, Duration.ofMillis(1500), 30, UTC, config);
        SchedulerCore core = f.closing(
                new SchedulerCore(f.db.dataSource(), f.db.unitOfWork(), f.audit, jobs, settings, clock, schedules));
        engine.addHandler(TaskService.RUN_JOB_TYPE, core.manualRuns());
        for (ScheduledTask t : tasks) {
            core.add(t);
        }
        engine.start();
        core.start();
        return new Node(engine, jobs, core, schedules);
    }

    private List<TaskRun> history(SchedulerCore core, String task) {
        return core.history(operator, task, new PageRequest(100, 0, List.of())).results();
    }

    private void awaitRuns(Recorder task, int n) {
        Await.until(task.name + " to run " + n + " time(s)", WAIT, () -> task.runs.size() >= n);
    }

    private void awaitHistory(SchedulerCore core, String task, TaskOutcome outcome) {
        Await.until(task + " to be " + outcome, WAIT, () -> history(core, task).stream()
                .anyMatch(r -> r.outcome() == outcome));
    }

    @Test
    void aClusterFiringRunsOnceAcrossNodesAndNeverAgainAfterARestart() {
        Recorder onA = new Recorder("test.sweep", TaskScope.CLUSTER, false);
        Recorder onB = new Recorder("test.sweep", TaskScope.CLUSTER, false);
        Node a = node("a", Map.of(), onA);
        Node b = node("b", Map.of(), onB);
        assertThat(a.schedules().scheduled).containsEntry("test.sweep", "0 30 3 * * ?");

        a.core().fire("test.sweep");
        b.core().fire("test.sweep");
        awaitHistory(a.core(), "test.sweep", TaskOutcome.SUCCEEDED);
        // the later node's firing found the slot recorded, or (if it came first) the other did
        assertThat(onA.runs.size() + onB.runs.size()).isEqualTo(1);
        TaskRun run = history(a.core(), "test.sweep").get(0);
        assertThat(run.slot()).isEqualTo(SLOT);
        assertThat(run.trigger()).isEqualTo(TaskTrigger.SCHEDULE);
        assertThat(run.startedBy()).isEqualTo("system");
        assertThat(run.finishedAt()).isNotNull();

        // node a starts again and its scheduler fires the same slot (clock jitter, a re-delivered trigger)
        a.core().close();
        Recorder again = new Recorder("test.sweep", TaskScope.CLUSTER, true);
        SchedulerCore restarted = f.closing(new SchedulerCore(
                f.db.dataSource(),
                f.db.unitOfWork(),
                f.audit,
                a.jobs(),
                SchedulerSettings.of("a", 2, Duration.ofMillis(1500), 30, UTC, Map.of()),
                clock,
                new Schedules()));
        restarted.add(again);
        restarted.start(); // catches up the latest slot: recorded already
        restarted.fire("test.sweep");
        clock.set(SLOT.plus(Duration.ofDays(1)));
        restarted.fire("test.sweep"); // the next night's firing runs
        awaitRuns(again, 1);
        // once: by this firing, or by the start's catch-up if that looked at the clock after it moved (either may
        // come first; what matters is that the old slot never runs again and the new one runs once)
        assertThat(again.runs)
                .singleElement()
                .asString()
                .matches("a@" + SLOT.plus(Duration.ofDays(1)) + "/(SCHEDULE|CATCH_UP)");
        assertThat(history(restarted, "test.sweep")).hasSize(2);
    }

    @Test
    void aFiringWhileThePreviousRunStillRunsIsSkippedAndSaysWhy() throws Exception {
        Recorder task = new Recorder("test.slow", TaskScope.CLUSTER, false);
        CountDownLatch release = new CountDownLatch(1);
        task.body = c -> {
            while (release.getCount() > 0 && !c.cancelled()) {
                Await.pause();
            }
        };
        Node a = node("a", Map.of(), task);
        a.core().fire("test.slow");
        awaitRuns(task, 1);
        clock.set(SLOT.plus(Duration.ofDays(1)));
        a.core().fire("test.slow");
        awaitHistory(a.core(), "test.slow", TaskOutcome.SKIPPED);
        release.countDown();
        awaitHistory(a.core(), "test.slow", TaskOutcome.SUCCEEDED);
        TaskRun skipped = history(a.core(), "test.slow").get(0);
        assertThat(skipped.outcome()).isEqualTo(TaskOutcome.SKIPPED);
        assertThat(skipped.error()).contains("still running");
        assertThat(task.runs).hasSize(1);
    }

    @Test
    void aPerNodeTaskRunsOnEveryNodeAndKeepsOnlyEachNodesLastRun() {
        Recorder onA = new Recorder("test.cache", TaskScope.NODE, false);
        Recorder onB = new Recorder("test.cache", TaskScope.NODE, false);
        onA.body = c -> c.summary("refreshed 3 entries");
        Node a = node("a", Map.of(), onA);
        Node b = node("b", Map.of(), onB);
        a.core().fire("test.cache");
        b.core().fire("test.cache");
        awaitRuns(onA, 1);
        awaitRuns(onB, 1);
        Await.until(
                "both last runs to end",
                WAIT,
                () -> a.core().get(operator, "test.cache").lastRunPerNode().stream()
                                .filter(r -> r.outcome() == TaskOutcome.SUCCEEDED)
                                .count()
                        == 2);
        TaskInfo info = a.core().get(operator, "test.cache");
        assertThat(info.lastRunPerNode()).extracting(TaskRun::node).containsExactlyInAnyOrder("a", "b");
        assertThat(info.lastRunPerNode()).allSatisfy(r -> assertThat(r.id()).isNull());
        assertThat(info.lastRunPerNode())
                .filteredOn(r -> r.node().equals("a"))
                .singleElement()
                .satisfies(r -> assertThat(r.summary()).isEqualTo("refreshed 3 entries"));
        assertThat(history(a.core(), null)).isEmpty();
    }

    @Test
    void aManualRunIsAJobAndItsOwnEntryInTheHistory() {
        Recorder task = new Recorder("test.sweep", TaskScope.CLUSTER, false);
        task.body = c -> c.summary("removed 2 objects by " + c.caller().id());
        Node a = node("a", Map.of("task.test.sweep.enabled", "false"), task);
        assertThat(a.schedules().scheduled).doesNotContainKey("test.sweep");
        Job job = a.core().run(operator, "test.sweep");
        assertThat(job.type()).isEqualTo(TaskService.RUN_JOB_TYPE);
        assertThat(job.key()).isEqualTo("test.sweep");
        Await.until(
                "the run's job to end",
                WAIT,
                () -> a.jobs().find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
        TaskRun run = history(a.core(), "test.sweep").get(0);
        assertThat(run.trigger()).isEqualTo(TaskTrigger.MANUAL);
        assertThat(run.jobId()).isEqualTo(job.id());
        assertThat(run.startedBy()).isEqualTo("ops");
        assertThat(run.summary()).isEqualTo("removed 2 objects by ops");
        assertThat(a.jobs().find(job.id()).orElseThrow().result())
                .containsEntry("run_id", Long.toString(run.id()))
                .containsEntry("summary", "removed 2 objects by ops");
        assertThat(f.audit.actions()).contains("jobs.task.run", "jobs.job.submit");

        task.body = c -> {
            throw new IllegalStateException("disk full at /secret/path");
        };
        Job failing = a.core().run(operator, "test.sweep");
        Await.until(
                "the failing run's job to end",
                WAIT,
                () -> a.jobs().find(failing.id()).orElseThrow().state() == JobState.FAILED);
        String error = a.jobs().find(failing.id()).orElseThrow().error();
        assertThat(error).contains("IllegalStateException").doesNotContain("/secret/path");
        assertThat(history(a.core(), "test.sweep").get(0).error()).isEqualTo(error);
        TaskInfo info = a.core().get(operator, "test.sweep");
        assertThat(info.enabled()).isFalse();
        assertThat(info.nextRun()).isNull();
        assertThat(info.lastRun().outcome()).isEqualTo(TaskOutcome.FAILED);
    }

    @Test
    void aMissedFiringIsCaughtUpOnceWhenTheTaskAsksForIt() {
        Recorder catching = new Recorder("test.prune", TaskScope.CLUSTER, true);
        Recorder waiting = new Recorder("test.sweep", TaskScope.CLUSTER, false);
        clock.set(SLOT.plus(Duration.ofHours(5)));
        Node a = node("a", Map.of(), catching, waiting);
        awaitRuns(catching, 1);
        assertThat(catching.runs).containsExactly("a@" + SLOT + "/CATCH_UP");
        Node b = node("b", Map.of(), new Recorder("test.prune", TaskScope.CLUSTER, true));
        awaitHistory(a.core(), "test.prune", TaskOutcome.SUCCEEDED);
        assertThat(history(b.core(), "test.prune")).hasSize(1);
        assertThat(waiting.runs).isEmpty();
    }

    @Test
    void theRunsOfANodeThatStoppedAreMarkedInterrupted() {
        Recorder task = new Recorder("test.sweep", TaskScope.CLUSTER, false);
        Node a = node("a", Map.of(), task);
        f.update("INSERT INTO karyo_jobs.node (id, started_at, heartbeat_at) VALUES ('gone', now(), now() - interval"
                + " '1 hour')");
        f.update(
                "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, started_by)"
                        + " VALUES ('test.sweep', ?, 'SCHEDULE', 'gone', 'RUNNING', 'system')",
                SLOT.minus(Duration.ofDays(1)));
        a.core().fire("test.sweep"); // finds the dead node's run, marks it, then runs
        awaitRuns(task, 1);
        awaitHistory(a.core(), "test.sweep", TaskOutcome.SUCCEEDED);
        TaskRun old = history(a.core(), "test.sweep").get(1);
        assertThat(old.outcome()).isEqualTo(TaskOutcome.INTERRUPTED);
        assertThat(old.error()).isEqualTo("the node running it (gone) stopped");
    }

    @Test
    void tasksNeedTheirRightAndAnUnknownTaskIsNotFound() {
        Node a = node("a", Map.of(), new Recorder("test.sweep", TaskScope.CLUSTER, false));
        Caller nobody = TestCallers.withRights("nobody");
        assertThatThrownBy(() -> a.core().list(nobody))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> a.core().run(nobody, "test.sweep"))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> a.core().get(operator, "test.nothing"))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> a.core().history(operator, "test.nothing", new PageRequest(20, 0, List.of())))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(a.core().list(operator)).extracting(TaskInfo::name).containsExactly("test.sweep");
        TaskInfo info = a.core().list(operator).get(0);
        assertThat(info.module()).isEqualTo("test");
        assertThat(info.nextRun()).isEqualTo(SLOT.plus(Duration.ofDays(1)));
    }

    @Test
    void aConfiguredScheduleReplacesTheDefaultAndAWrongOneIsRefusedNamingItsKey() {
        Node a = node(
                "a",
                Map.of("task.test.sweep.schedule", "0 0/10 * * * ?", "other", "x"),
                new Recorder("test.sweep", TaskScope.CLUSTER, false));
        assertThat(a.schedules().scheduled).containsEntry("test.sweep", "0 0/10 * * * ?");
        assertThat(a.core().get(operator, "test.sweep").defaultSchedule()).isEqualTo("0 30 3 * * ?");
        assertThatThrownBy(() -> SchedulerSettings.of(
                        "a", 1, Duration.ofSeconds(5), 30, UTC, Map.of("task.test.sweep.schedule", "every night")))
                .hasMessageStartingWith("task.test.sweep.schedule: ");
        assertThatThrownBy(() -> SchedulerSettings.of(
                        "a", 1, Duration.ofSeconds(5), 30, UTC, Map.of("task.test.sweep.enabled", "yes")))
                .hasMessageStartingWith("task.test.sweep.enabled must be true or false");
    }

    @Test
    void thePruneTaskRemovesOldJobsAndRunsOnly() {
        Node a = node("a", Map.of());
        a.core().add(new PruneTask(a.jobs(), a.core(), 30, 30));
        a.engine().addHandler("test.count", new org.karyo.jobs.api.JobHandler() {
            @Override
            public Map<String, String> run(org.karyo.jobs.api.JobContext c) {
                return Map.of();
            }
        });
        Job old = a.jobs().submit(operator, org.karyo.jobs.api.NewJob.of("test.count"));
        Job recent = a.jobs().submit(operator, org.karyo.jobs.api.NewJob.of("test.count"));
        Await.until(
                "both jobs to end",
                WAIT,
                () -> a.jobs().find(recent.id()).orElseThrow().state() == JobState.SUCCEEDED
                        && a.jobs().find(old.id()).orElseThrow().state() == JobState.SUCCEEDED);
        f.update("UPDATE karyo_jobs.job SET finished_at = now() - interval '31 days' WHERE id = ?", old.id());
        Job run = a.core().run(operator, PruneTask.NAME);
        Await.until(
                "the prune to end",
                WAIT,
                () -> a.jobs().find(run.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(a.jobs().find(old.id())).isEmpty();
        assertThat(a.jobs().find(recent.id())).isPresent();
        assertThat(a.jobs().find(run.id()).orElseThrow().result().get("summary"))
                .isEqualTo("removed 1 job(s) and 0 task run(s)");
    }
}
