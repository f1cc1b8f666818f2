package org.karyo.jobs.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobEvent;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.NewJob;
import org.karyo.testing.TestCallers;

class JobEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Caller ada = TestCallers.withRights("ada");
    private final Caller bob = TestCallers.withRights("bob");
    private final Caller manager = TestCallers.withRights("mia", JobRights.MANAGE);
    private static Fixture f;

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

    /** A handler that runs {@code work}. */
    private static JobHandler handler(boolean resumable, int concurrency, Work work) {
        return new JobHandler() {
            @Override
            public Map<String, String> run(JobContext context) throws Exception {
                return work.run(context);
            }

            @Override
            public boolean resumable() {
                return resumable;
            }

            @Override
            public int concurrency() {
                return concurrency;
            }
        };
    }

    @FunctionalInterface
    interface Work {
        Map<String, String> run(JobContext context) throws Exception;
    }

    /** Work that reports progress until it is cancelled (or {@code release} opens). */
    private static Work untilCancelled(CountDownLatch release) {
        return c -> {
            long n = 0;
            while (!c.cancelled() && release.getCount() > 0) {
                c.progress(++n, null);
                Await.pause();
            }
            c.throwIfCancelled();
            return Map.of("steps", Long.toString(n));
        };
    }

    private Job await(Jobs jobs, long id, JobState state) {
        Await.until(
                "job " + id + " to be " + state,
                WAIT,
                () -> jobs.find(id).orElseThrow().state() == state);
        return jobs.find(id).orElseThrow();
    }

    @Test
    void aSubmittedJobRunsOnceReportsProgressAndKeepsItsResult() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        AtomicInteger runs = new AtomicInteger();
        engine.addHandler("test.count", handler(false, 1, c -> {
            runs.incrementAndGet();
            assertThat(c.payload()).containsEntry("upload_id", "12");
            assertThat(c.caller().id()).isEqualTo("ada");
            assertThat(c.caller().hasRight(JobRights.MANAGE)).isFalse();
            for (long i = 1; i <= 500; i++) {
                c.progress(i * 10, 5000L);
            }
            return Map.of("rows", "500");
        }));
        engine.start();
        Job queued = jobs.submit(
                ada,
                NewJob.of("test.count")
                        .withKey("upload-12")
                        .withPayload(Map.of("upload_id", "12"))
                        .withProgress("rows", null));
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        assertThat(queued.module()).isEqualTo("test");
        assertThat(queued.owner()).isEqualTo("ada");

        Job done = await(jobs, queued.id(), JobState.SUCCEEDED);
        assertThat(runs).hasValue(1);
        assertThat(done.result()).containsExactly(Map.entry("rows", "500"));
        assertThat(done.progress().done()).isEqualTo(5000);
        assertThat(done.progress().total()).isEqualTo(5000L);
        assertThat(done.progress().unit()).isEqualTo("rows");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.node()).isEqualTo("n1");
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(f.audit.entries()).anySatisfy(e -> {
            assertThat(e.event().action()).isEqualTo("jobs.job.submit");
            assertThat(e.event().objectId()).isEqualTo(Long.toString(queued.id()));
            assertThat(e.actorId()).isEqualTo("ada");
        });
        assertThat(jobs.byKey("test.count", "upload-12")).extracting(Job::id).containsExactly(queued.id());
    }

    @Test
    void progressIsWrittenAboutOnceAnIntervalNotPerCall() {
        JobEngine engine = f.engine("n1"); // progress interval 100 ms
        Jobs jobs = f.jobs(engine);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger(); // each write of progress is one PROGRESS event
        engine.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS) {
                writes.incrementAndGet();
            }
        });
        engine.addHandler("test.rows", handler(false, 1, c -> {
            long n = 0;
            while (release.getCount() > 0) {
                c.progress(++n, 1_000_000_000L);
                calls.incrementAndGet();
            }
            return Map.of();
        }));
        engine.start();
        Job job = jobs.submit(ada, NewJob.of("test.rows"));
        await(jobs, job.id(), JobState.RUNNING);
        long started = System.nanoTime();
        Await.until("progress to be written three times", WAIT, () -> writes.get() >= 3);
        release.countDown();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        Job done = await(jobs, job.id(), JobState.SUCCEEDED);
        assertThat(calls.get()).isGreaterThan(10_000);
        assertThat(writes.get()).isLessThanOrEqualTo((int) (elapsedMillis / 100) + 3);
        assertThat(done.progress().done())
                .as("the last progress is written at the end")
                .isEqualTo(calls.get());
    }

    @Test
    void aSubmitOnAnotherNodeWakesThisOneThroughANotification() {
        EngineSettings s = Fixture.settings("sleepy");
        JobEngine sleepy = f.engine(new EngineSettings(
                "sleepy",
                2,
                s.lease(),
                s.heartbeat(),
                Duration.ofSeconds(60),
                s.progressInterval(),
                s.shutdownGrace()));
        sleepy.addHandler("test.count", handler(false, 1, c -> Map.of("node", c.node())));
        sleepy.start();
        JobEngine elsewhere = f.engine("elsewhere"); // not started: it only submits
        elsewhere.addHandler("test.count", handler(false, 1, c -> Map.of()));
        Jobs jobs = f.jobs(elsewhere);
        Job job = jobs.submit(ada, NewJob.of("test.count"));
        // the sleepy node reads the queue once a minute: only the notification can wake it this soon
        Await.until(
                "the job to run on the sleepy node",
                Duration.ofSeconds(10),
                () -> jobs.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(jobs.find(job.id()).orElseThrow().result()).containsEntry("node", "sleepy");
    }

    @Test
    void badSubmissionsNameTheirFieldAndQueueNothing() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        assertThatThrownBy(() -> jobs.submit(ada, NewJob.of("test.unknown")))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors()).extracting(x -> x.field()).containsExactly("type");
                });
        assertThatThrownBy(() -> jobs.submit(ada, NewJob.of("Bad Type")))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        assertThatThrownBy(() -> jobs.submit(
                        ada,
                        NewJob.of("test.count")
                                .withKey("k".repeat(201))
                                .withPayload(Map.of("big", "x".repeat(70_000)))
                                .withProgress("Bytes!", null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(x -> x.field())
                        .containsExactly("key", "payload", "unit"));
        assertThatThrownBy(() -> jobs.submit(ada, NewJob.of("test.count").superseding()))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors()).extracting(x -> x.field()).containsExactly("key"));
        assertThat(jobs.list(manager, JobQuery.all(null)).count()).isZero();
        assertThat(f.audit.entries()).isEmpty();
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndAFinishedOneCannotBe() {
        JobEngine engine = f.engine("n1"); // not started: the job stays queued
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        Job job = jobs.submit(ada, NewJob.of("test.count"));
        Job cancelled = jobs.cancel(ada, job.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("cancelled before it started");
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThatThrownBy(() -> jobs.cancel(ada, job.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));
        assertThat(f.audit.actions()).containsExactly("jobs.job.submit", "jobs.job.cancel");
    }

    @Test
    void aRunningJobSeesTheCancelAndEndsCancelled() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.long", handler(false, 1, untilCancelled(new CountDownLatch(1))));
        engine.start();
        Job job = jobs.submit(ada, NewJob.of("test.long"));
        await(jobs, job.id(), JobState.RUNNING);
        Job asked = jobs.cancel(ada, job.id());
        assertThat(asked.state()).isEqualTo(JobState.RUNNING);
        assertThat(asked.cancelRequested()).isTrue();
        Job ended = await(jobs, job.id(), JobState.CANCELLED);
        assertThat(ended.error()).isEqualTo("cancelled while it ran");
        assertThat(ended.cancelRequested()).isTrue();
    }

    @Test
    void aCancelOnAnotherNodeReachesTheRunningJobThroughANotification() {
        JobEngine runner = f.engine("runner");
        runner.addHandler("test.long", handler(false, 1, untilCancelled(new CountDownLatch(1))));
        runner.start();
        JobEngine other = f.engine("other"); // never runs jobs: no handler
        other.start();
        Jobs here = f.jobs(runner);
        Jobs there = f.jobs(other);
        Job job = here.submit(ada, NewJob.of("test.long"));
        await(here, job.id(), JobState.RUNNING);
        there.cancel(manager, job.id());
        assertThat(await(here, job.id(), JobState.CANCELLED).node()).isEqualTo("runner");
    }

    @Test
    void callersSeeAndCancelTheirOwnJobsAndManagersEveryJob() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        engine.addHandler("test.other", handler(false, 1, c -> Map.of()));
        Job adas = jobs.submit(ada, NewJob.of("test.count").withKey("k1"));
        Job bobs = jobs.submit(bob, NewJob.of("test.other").withKey("k2"));

        assertThat(jobs.get(ada, adas.id()).id()).isEqualTo(adas.id());
        assertThatThrownBy(() -> jobs.get(bob, adas.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> jobs.cancel(bob, adas.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> jobs.get(Caller.ANONYMOUS, adas.id())).isInstanceOf(KaryoException.class);
        assertThat(jobs.get(manager, adas.id()).owner()).isEqualTo("ada");

        assertThat(jobs.list(ada, JobQuery.all(null)).results())
                .extracting(Job::id)
                .containsExactly(adas.id());
        // asking for someone else's jobs shows nothing of theirs
        assertThat(jobs.list(ada, new JobQuery(null, null, null, "bob", null, null))
                        .count())
                .isZero();
        assertThat(jobs.list(manager, JobQuery.all(null)).results())
                .extracting(Job::id)
                .containsExactly(bobs.id(), adas.id());
        assertThat(jobs.list(manager, new JobQuery(Set.of("test.other"), null, null, null, null, null))
                        .results())
                .extracting(Job::id)
                .containsExactly(bobs.id());
        assertThat(jobs.list(manager, new JobQuery(null, Set.of("test"), Set.of(JobState.QUEUED), "ada", "k1", null))
                        .results())
                .extracting(Job::id)
                .containsExactly(adas.id());
        PageRequest oldestFirst = new PageRequest(1, 1, List.of(new Sort("id", false)));
        var page = jobs.list(manager, new JobQuery(null, null, null, null, null, oldestFirst));
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.results()).extracting(Job::id).containsExactly(bobs.id());
        assertThat(jobs.cancel(manager, bobs.id()).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aSupersedingJobCancelsTheUnfinishedOnesOfItsKeyInTheSameUnitOfWork() {
        JobEngine engine = f.engine("n1"); // not started
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        Job first = jobs.submit(ada, NewJob.of("test.count").withKey("request-7"));
        Job other = jobs.submit(ada, NewJob.of("test.count").withKey("request-8"));
        Job second =
                jobs.submit(ada, NewJob.of("test.count").withKey("request-7").superseding());
        assertThat(jobs.find(first.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.find(first.id()).orElseThrow().error()).contains("job " + second.id() + " replaces it");
        assertThat(jobs.find(other.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(jobs.find(second.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(f.audit.entries())
                .filteredOn(e -> e.event().action().equals("jobs.job.cancel"))
                .singleElement()
                .satisfies(e -> assertThat(e.event().details()).containsEntry("superseded_by", "" + second.id()));

        List<Job> cancelled = jobs.cancelByKey(bob, "test.count", "request-7");
        assertThat(cancelled).extracting(Job::id).containsExactly(second.id());
        assertThat(jobs.byKey("test.count", "request-7")).extracting(Job::state).containsOnly(JobState.CANCELLED);
    }

    @Test
    void aHandlerFailureFailsTheJobWithAClientSafeMessage() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.bad", handler(false, 1, c -> {
            throw new JobFailedException("line 12: not a VCF");
        }));
        engine.addHandler("test.bug", handler(false, 1, c -> {
            throw new IllegalStateException("SELECT secret FROM somewhere failed");
        }));
        engine.start();
        Job bad = jobs.submit(ada, NewJob.of("test.bad"));
        Job bug = jobs.submit(ada, NewJob.of("test.bug"));
        assertThat(await(jobs, bad.id(), JobState.FAILED).error()).isEqualTo("line 12: not a VCF");
        String error = await(jobs, bug.id(), JobState.FAILED).error();
        assertThat(error)
                .contains("internal reason")
                .contains("job " + bug.id())
                .doesNotContain("SELECT");
    }

    @Test
    void noMoreJobsOfATypeRunAtOnceThanItsHandlerAllows() {
        JobEngine a = f.engine("a");
        JobEngine b = f.engine("b");
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        JobHandler two = handler(false, 2, c -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                for (int i = 0; i < 5; i++) {
                    Await.pause();
                }
                return Map.of();
            } finally {
                now.decrementAndGet();
            }
        });
        a.addHandler("test.limited", two);
        b.addHandler("test.limited", two);
        a.start();
        b.start();
        Jobs jobs = f.jobs(a);
        List<Long> ids = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(jobs.submit(ada, NewJob.of("test.limited")).id());
        }
        for (long id : ids) {
            await(jobs, id, JobState.SUCCEEDED);
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void listenersHearOfEveryStepOfAJob() throws Exception {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        List<JobEvent.Kind> kinds = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        engine.addListener(e -> {
            kinds.add(e.kind());
            if (e.kind() == JobEvent.Kind.FINISHED) {
                finished.countDown();
            }
        });
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        engine.start();
        jobs.submit(ada, NewJob.of("test.count"));
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kinds).containsSubsequence(JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED, JobEvent.Kind.FINISHED);
    }

    @Test
    void aJobClaimedBeforeItsSubmitterToldOfItIsStillHeardOfInOrder() throws Exception {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        engine.addHandler("test.count", handler(false, 1, c -> Map.of()));
        Job job = jobs.submit(ada, NewJob.of("test.count")); // not started: nothing claims it
        List<JobEvent.Kind> kinds = new CopyOnWriteArrayList<>();
        CountDownLatch heard = new CountDownLatch(3);
        engine.addListener(e -> {
            kinds.add(e.kind());
            heard.countDown();
        });
        // the race: committed, a worker claimed it and started it before the submitter's after-commit step
        engine.submitting(job.id());
        engine.emit(JobEvent.Kind.STARTED, job);
        engine.emit(JobEvent.Kind.FINISHED, job);
        engine.emit(JobEvent.Kind.SUBMITTED, job);
        assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kinds).containsExactly(JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED, JobEvent.Kind.FINISHED);
    }

    /** A job row as a node that was killed in the middle of it leaves it. */
    private long orphan(Jobs jobs, String type, String node, String leaseUntil, Map<String, String> checkpoint) {
        Job job = jobs.submit(ada, NewJob.of(type).withProgress("bytes", 100L));
        f.update(
                "UPDATE karyo_jobs.job SET state = 'RUNNING', node = ?, attempts = 1, started_at = now(),"
                        + " lease_until = now() + ?::interval, checkpoint = ?::jsonb, progress_done = 40 WHERE id = ?",
                node,
                leaseUntil,
                FlatJson.encode(checkpoint),
                job.id());
        return job.id();
    }

    @Test
    void aNodeThatStartsAgainTakesBackItsRunningJobsAtOnce() {
        JobEngine before = f.engine("n1"); // the crashed run of n1: only used to submit
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        before.addHandler("test.resume", handler(true, 1, c -> Map.of()));
        before.addHandler("test.fragile", handler(false, 1, c -> Map.of()));
        Jobs jobs = f.jobs(before);
        long resumable = orphan(jobs, "test.resume", "n1", "1 hour", Map.of("offset", "40"));
        long fragile = orphan(jobs, "test.fragile", "n1", "1 hour", Map.of());

        JobEngine again = f.engine("n1");
        again.addHandler("test.resume", handler(true, 1, c -> {
            seen.add(c.checkpoint());
            assertThat(c.attempt()).isEqualTo(2);
            return Map.of("from", c.checkpoint().get("offset"));
        }));
        again.addHandler("test.fragile", handler(false, 1, c -> Map.of()));
        again.start(); // the leases have an hour to go: only the restart can take them back
        Job resumed = await(jobs, resumable, JobState.SUCCEEDED);
        assertThat(resumed.result()).containsEntry("from", "40");
        assertThat(resumed.attempts()).isEqualTo(2);
        assertThat(seen).containsExactly(Map.of("offset", "40"));
        Job failed = jobs.find(fragile).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo("the node running it (n1) stopped");
    }

    @Test
    void theJobsOfANodeWhoseLeaseExpiredAreTakenUpByAnother() {
        JobEngine submitter = f.engine("n1");
        submitter.addHandler("test.resume", handler(true, 1, c -> Map.of()));
        submitter.addHandler("test.fragile", handler(false, 1, c -> Map.of()));
        Jobs jobs = f.jobs(submitter);
        long resumable = orphan(jobs, "test.resume", "ghost", "-1 second", Map.of("offset", "40"));
        long fragile = orphan(jobs, "test.fragile", "ghost", "-1 second", Map.of());
        long exhausted = orphan(jobs, "test.resume", "ghost", "-1 second", Map.of());
        f.update("UPDATE karyo_jobs.job SET attempts = max_attempts WHERE id = ?", exhausted);

        JobEngine heir = f.engine("heir");
        heir.addHandler("test.resume", handler(true, 1, c -> Map.of("node", c.node())));
        heir.addHandler("test.fragile", handler(false, 1, c -> Map.of()));
        heir.start();
        Job resumed = await(jobs, resumable, JobState.SUCCEEDED);
        assertThat(resumed.node()).isEqualTo("heir");
        assertThat(resumed.result()).containsEntry("node", "heir");
        assertThat(await(jobs, fragile, JobState.FAILED).error()).isEqualTo("the node running it (ghost) stopped");
        assertThat(await(jobs, exhausted, JobState.FAILED).error())
                .isEqualTo("the node running it (ghost) stopped; it was started 3 times, the most allowed");
    }

    @Test
    void aStoppingNodeRequeuesResumableJobsWithoutUsingAnAttemptAndFailsTheOthers() {
        JobEngine engine = f.engine("n1");
        Jobs jobs = f.jobs(engine);
        CountDownLatch never = new CountDownLatch(1);
        // RUNNING in the table is the claim; only a run that reached its handler fails when its node stops
        CountDownLatch inHandlers = new CountDownLatch(2);
        Work work = untilCancelled(never);
        Work entered = c -> {
            inHandlers.countDown();
            return work.run(c);
        };
        engine.addHandler("test.resume", handler(true, 1, entered));
        engine.addHandler("test.fragile", handler(false, 1, entered));
        engine.start();
        Job resumable = jobs.submit(ada, NewJob.of("test.resume"));
        Job fragile = jobs.submit(ada, NewJob.of("test.fragile"));
        Await.until("both jobs in their handlers", WAIT, () -> inHandlers.getCount() == 0);
        engine.close();
        Job requeued = jobs.find(resumable.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempts()).isZero();
        Job failed = jobs.find(fragile.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo("the node running it (n1) stopped");
    }

    @Test
    void aSecondLiveProcessWithTheSameNodeIdRefusesToStart() {
        JobEngine first = f.engine("twin");
        first.start();
        EngineSettings s = Fixture.settings("twin");
        JobEngine second = f.engine(new EngineSettings(
                "twin",
                1,
                Duration.ofMillis(600),
                Duration.ofMillis(200),
                s.poll(),
                s.progressInterval(),
                s.shutdownGrace()));
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twin");
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new EngineSettings(
                        "n",
                        1,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ZERO))
                .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> new EngineSettings(
                        "bad id",
                        1,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ZERO))
                .hasMessageContaining("node.id");
        assertThatThrownBy(() -> new EngineSettings(
                        "n",
                        0,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ZERO))
                .hasMessageContaining("worker.threads");
    }
}
