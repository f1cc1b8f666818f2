package org.karyo.jobs.impl.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobCancelledException;
import org.karyo.jobs.api.JobEvent;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobListener;
import org.karyo.jobs.api.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's job engine, free of OSGi: it claims queued jobs of the types it has handlers for, runs them on its worker
 * threads under a lease that its heartbeat renews, writes their progress (throttled), checkpoints and ends, requeues
 * or fails the jobs of nodes that stopped, and tells {@link JobListener}s of every change.
 *
 * <p>Wake-ups: a submit on this node signals the dispatcher at once; other nodes learn of submits through PostgreSQL
 * notifications ({@link Notifications}); and the dispatcher reads the queue every {@code poll} in any case.
 */
public final class JobEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);
    private static final long SUBMIT_HOLD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final UnitOfWork uow;
    private final JobStore store;
    private final EngineSettings settings;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    private final Map<Long, Runnable> unwritten = new ConcurrentHashMap<>();
    /**
     * Jobs submitted on this node whose commit is under way (value: when), and the events of theirs that came before
     * their {@code SUBMITTED}: a worker may claim a job between its commit and the submitter's after-commit step, and
     * listeners must still hear of each job in order. Guarded by {@link #order}.
     */
    private final Map<Long, Long> submitting = new HashMap<>();

    private final Map<Long, List<JobEvent>> held = new HashMap<>();
    private final Object order = new Object();
    private final Object signal = new Object();
    private final Notifications notifications;
    private final ExecutorService workers;
    private final ExecutorService events;
    private final ScheduledExecutorService upkeep;
    private boolean signalled;
    private volatile boolean started;
    private volatile boolean closing;
    private Thread dispatcher;

    /**
     * An engine that is not started.
     *
     * @param dataSource the platform's transaction-aware DataSource (the unit of work's connection inside one)
     * @param uow the platform's unit of work over the same database
     * @param audit the platform's audit trail
     */
    public JobEngine(DataSource dataSource, UnitOfWork uow, AuditTrail audit, EngineSettings settings) {
        this.uow = uow;
        this.store = new JobStore(dataSource, uow, audit);
        this.settings = settings;
        this.notifications = new Notifications(dataSource, settings.node(), settings.poll(), this::notified);
        this.workers = Executors.newFixedThreadPool(settings.workerThreads(), threads("karyo-jobs-worker-"));
        this.events = Executors.newSingleThreadExecutor(threads("karyo-jobs-events-"));
        this.upkeep = Executors.newSingleThreadScheduledExecutor(threads("karyo-jobs-upkeep-"));
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    String node() {
        return settings.node();
    }

    EngineSettings settings() {
        return settings;
    }

    JobStore store() {
        return store;
    }

    UnitOfWork uow() {
        return uow;
    }

    long progressIntervalNanos() {
        return settings.progressInterval().toNanos();
    }

    // ---- handlers and listeners --------------------------------------------------------------------------------

    /** Registers the handler of a job type; a second handler for a type is ignored (logged). */
    public void addHandler(String type, JobHandler handler) {
        if (type == null || !Jobs.TYPE.matcher(type).matches()) {
            LOG.error("A job handler names no valid type ({}=<module>.<name>): ignored", JobHandler.TYPE);
            return;
        }
        JobHandler before = handlers.putIfAbsent(type, handler);
        if (before != null && before != handler) {
            LOG.error("A second handler for job type {} was registered: ignored, the first one stays", type);
            return;
        }
        LOG.debug("Job handler for {} registered", type);
        signal();
    }

    /** Removes the handler of a type: its running jobs on this node stop (requeued when resumable, else failed). */
    public void removeHandler(String type, JobHandler handler) {
        if (type == null || !handlers.remove(type, handler)) {
            return;
        }
        for (RunningJob r : running.values()) {
            if (r.handler() == handler) {
                stop(r);
            }
        }
    }

    JobHandler handler(String type) {
        return handlers.get(type);
    }

    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    public void removeListener(JobListener listener) {
        listeners.remove(listener);
    }

    // ---- life ---------------------------------------------------------------------------------------------------

    /**
     * Starts the node: takes its id (refusing to start while another live process holds it), takes back its own jobs
     * a previous run of this node left running (requeued or failed at once, without waiting for their lease), and
     * starts dispatching, heartbeats and the reaper.
     */
    public void start() {
        notifications.open(settings.lease());
        uow.run(() -> store.nodeStarted(node()));
        reap(node());
        dispatcher = new Thread(this::dispatchLoop, "karyo-jobs-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
        long beat = settings.heartbeat().toMillis();
        upkeep.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long poll = settings.poll().toMillis();
        upkeep.scheduleWithFixedDelay(this::reapQuietly, poll, poll, TimeUnit.MILLISECONDS);
        started = true;
        LOG.info(
                "Job engine of node {} started ({} worker threads, lease {} s, heartbeat {} ms, poll {} ms)",
                node(),
                settings.workerThreads(),
                settings.lease().toSeconds(),
                beat,
                poll);
    }

    /**
     * Stops the node: no new claims; running jobs are told to stop ({@link org.karyo.jobs.api.JobContext#cancelled()})
     * and interrupted, and given {@code shutdownGrace} to end: a resumable one goes back to the queue without using
     * up an attempt, another one fails, saying that its node stopped. A job still running after the grace is left to
     * its lease (or to this node's next start).
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        signal();
        for (RunningJob r : running.values()) {
            stop(r);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "{} job(s) did not stop within {} s; their lease decides",
                        running.size(),
                        settings.shutdownGrace().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upkeep.shutdownNow();
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        notifications.close();
        if (started) {
            try {
                uow.run(() -> store.nodeStopped(node()));
            } catch (RuntimeException e) {
                LOG.debug("Could not record that node {} stopped", node(), e);
            }
        }
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Job engine of node {} stopped", node());
    }

    private void stop(RunningJob r) {
        r.stopping = true;
        Thread t = r.thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Wakes the dispatcher (a job was queued, a worker is free). */
    void signal() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    // ---- dispatching --------------------------------------------------------------------------------------------

    private void dispatchLoop() {
        long poll = settings.poll().toMillis();
        while (!closing) {
            synchronized (signal) {
                if (!signalled) {
                    try {
                        signal.wait(poll);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signalled = false;
            }
            if (closing) {
                return;
            }
            try {
                dispatch();
            } catch (RuntimeException e) {
                LOG.warn("Claiming jobs on node {} failed; trying again in {} ms", node(), poll, e);
            }
        }
    }

    /** Claims as many jobs as there are free workers and starts them. */
    void dispatch() {
        int free = settings.workerThreads() - running.size();
        if (free <= 0 || handlers.isEmpty() || closing) {
            return;
        }
        List<JobStore.Capacity> capacities = new ArrayList<>();
        handlers.forEach((type, h) -> capacities.add(new JobStore.Capacity(type, Math.max(1, h.concurrency()))));
        List<JobStore.Claimed> claimed = uow.required(() -> {
            List<JobStore.Claimed> c = store.claim(node(), capacities, free, settings.lease());
            for (JobStore.Claimed one : c) {
                store.notify(JobEvent.Kind.STARTED.name(), one.job().id(), node());
            }
            return c;
        });
        for (JobStore.Claimed c : claimed) {
            JobHandler handler = handlers.get(c.job().type());
            RunningJob r = new RunningJob(this, c, handler);
            running.put(c.job().id(), r);
            emit(JobEvent.Kind.STARTED, c.job());
            if (handler == null) {
                // the handler went between the claim and now
                stop(r);
                conclude(r, null, new IllegalStateException("no handler"));
                continue;
            }
            try {
                workers.execute(() -> execute(r));
            } catch (RejectedExecutionException e) {
                stop(r);
                conclude(r, null, e);
            }
        }
        if (claimed.size() == free) {
            signal(); // there may be more
        }
    }

    private void execute(RunningJob r) {
        LOG.debug("Job {} ({}) started on node {}, attempt {}", r.id(), r.type(), node(), r.attempt());
        r.thread = Thread.currentThread();
        Map<String, String> result = null;
        Throwable failure = null;
        try {
            if (r.cancelled()) {
                throw new JobCancelledException(r.id());
            }
            r.started = true;
            result = r.handler().run(r);
        } catch (Throwable t) {
            failure = t;
        } finally {
            r.thread = null;
            Thread.interrupted(); // the end is written whatever interrupted the handler
        }
        conclude(r, result, failure);
    }

    /** Writes how a run ended; when that fails the write is retried by the heartbeat, which keeps the lease. */
    private void conclude(RunningJob r, Map<String, String> result, Throwable failure) {
        Runnable write = () -> end(r, result, failure);
        r.ending = true;
        try {
            write.run();
            running.remove(r.id());
            signal();
        } catch (RuntimeException e) {
            LOG.warn("The end of job {} could not be written; retrying with the next heartbeat", r.id(), e);
            unwritten.put(r.id(), write);
        }
    }

    private void end(RunningJob r, Map<String, String> result, Throwable failure) {
        long id = r.id();
        if (r.lost) {
            LOG.info("Job {} was taken over by another node; its run on node {} ends without effect", id, node());
            return;
        }
        JobState state;
        String error = null;
        boolean release = false;
        if (failure == null) {
            state = JobState.SUCCEEDED;
        } else if (r.cancelRequested || (failure instanceof JobCancelledException && !r.stopping)) {
            state = JobState.CANCELLED;
            error = "cancelled while it ran";
        } else if (r.stopping) {
            // a job that never reached its handler (or whose handler went) is left to a node that can run it
            if (!r.started || r.handler() == null || r.handler().resumable()) {
                state = JobState.QUEUED;
                release = true;
            } else {
                state = JobState.FAILED;
                error = "the node running it (" + node() + ") stopped";
            }
        } else if (failure instanceof JobFailedException || failure instanceof KaryoException) {
            state = JobState.FAILED;
            error = clip(failure.getMessage());
        } else {
            state = JobState.FAILED;
            error = "the job failed for an internal reason on node " + node() + " (its log names job " + id + ")";
            LOG.warn("Job {} ({}) failed", id, r.type(), failure);
        }
        boolean requeued = release;
        JobState ending = state;
        String message = error;
        Optional<Job> written = uow.required(() -> {
            Optional<Job> j = requeued
                    ? store.release(id, node(), r.attempt(), r.done(), r.total())
                    : store.finish(
                            id,
                            node(),
                            r.attempt(),
                            ending,
                            message,
                            FlatJson.encode(result == null ? Map.of() : result),
                            r.done(),
                            r.total());
            j.ifPresent(
                    x -> store.notify((requeued ? JobEvent.Kind.REQUEUED : JobEvent.Kind.FINISHED).name(), id, node()));
            return j;
        });
        if (written.isEmpty()) {
            LOG.info("Job {} was taken over by another node before its run on node {} ended", id, node());
            return;
        }
        LOG.debug("Job {} ended {} on node {}", id, written.get().state(), node());
        emit(requeued ? JobEvent.Kind.REQUEUED : JobEvent.Kind.FINISHED, written.get());
    }

    static String clip(String message) {
        if (message == null || message.isBlank()) {
            return "the job failed";
        }
        return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }

    // ---- progress and checkpoints ------------------------------------------------------------------------------

    void saveProgress(RunningJob r) {
        try {
            boolean held = uow.required(() -> {
                boolean h = store.progress(r.id(), node(), r.attempt(), r.done(), r.total());
                if (h) {
                    store.notify(JobEvent.Kind.PROGRESS.name(), r.id(), node());
                }
                return h;
            });
            if (!held) {
                r.lost = true;
                return;
            }
            if (!listeners.isEmpty()) {
                store.find(r.id()).ifPresent(j -> emit(JobEvent.Kind.PROGRESS, j));
            }
        } catch (RuntimeException e) {
            LOG.debug("Progress of job {} not written (next time)", r.id(), e);
        }
    }

    boolean saveCheckpoint(RunningJob r, String encoded) {
        return uow.required(() -> store.checkpoint(r.id(), node(), r.attempt(), encoded, r.done(), r.total()));
    }

    // ---- heartbeat and reaper -------------------------------------------------------------------------------------

    private void heartbeat() {
        try {
            uow.run(() -> store.nodeAlive(node()));
            // only the jobs running before the renewal: one claimed meanwhile is not in its answer
            List<RunningJob> before = new ArrayList<>(running.values());
            if (before.isEmpty()) {
                return;
            }
            List<Long> ids = before.stream().map(RunningJob::id).toList();
            List<JobStore.Held> held = uow.required(() -> store.renew(node(), ids, settings.lease()));
            Map<Long, JobStore.Held> byId = new ConcurrentHashMap<>();
            held.forEach(h -> byId.put(h.id(), h));
            for (RunningJob r : before) {
                JobStore.Held h = byId.get(r.id());
                if (r.ending && !unwritten.containsKey(r.id())) {
                    continue; // its end is being written
                }
                if (h == null || h.attempt() != r.attempt()) {
                    if (!r.lost) {
                        LOG.warn(
                                "Job {} is no longer held by node {} (its lease expired); its run stops",
                                r.id(),
                                node());
                    }
                    r.lost = true;
                    Runnable w = unwritten.remove(r.id());
                    if (w != null) {
                        running.remove(r.id());
                    }
                } else if (h.cancelRequested()) {
                    r.cancelRequested = true;
                }
            }
            for (var it = unwritten.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Runnable> w = it.next();
                try {
                    w.getValue().run();
                    it.remove();
                    running.remove(w.getKey());
                    signal();
                } catch (RuntimeException e) {
                    LOG.debug("The end of job {} still cannot be written", w.getKey(), e);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Heartbeat of node {} failed; leases expire after {} s without one",
                    node(),
                    settings.lease().toSeconds(),
                    e);
        }
    }

    private void reapQuietly() {
        try {
            reap(null);
        } catch (RuntimeException e) {
            LOG.warn("Looking for jobs of stopped nodes failed", e);
        }
    }

    /**
     * Takes up the running jobs whose node stopped: every running job of {@code node} (which just started again), or,
     * with {@code null}, every running job whose lease expired. A job asked to cancel ends cancelled; a resumable job
     * with attempts left goes back to the queue; any other fails, saying that its node stopped.
     */
    void reap(String node) {
        List<Job> changed = uow.required(() -> {
            List<Job> out = new ArrayList<>();
            for (JobStore.Orphan o : store.lockOrphans(node)) {
                Optional<Job> j;
                String stopped = "the node running it (" + o.node() + ") stopped";
                if (o.cancelRequested()) {
                    j = store.end(o.id(), JobState.CANCELLED, "cancelled; " + stopped);
                } else if (o.resumable() && o.attempts() < o.maxAttempts()) {
                    j = store.requeue(o.id(), false);
                } else if (o.resumable()) {
                    j = store.end(
                            o.id(),
                            JobState.FAILED,
                            stopped + "; it was started " + o.attempts() + " times, the most allowed");
                } else {
                    j = store.end(o.id(), JobState.FAILED, stopped);
                }
                j.ifPresent(x -> {
                    store.notify(
                            (x.state() == JobState.QUEUED ? JobEvent.Kind.REQUEUED : JobEvent.Kind.FINISHED).name(),
                            x.id(),
                            node());
                    out.add(x);
                });
            }
            return out;
        });
        for (Job j : changed) {
            LOG.info("Job {} of stopped node {}: {}", j.id(), j.node(), j.state());
            emit(j.state() == JobState.QUEUED ? JobEvent.Kind.REQUEUED : JobEvent.Kind.FINISHED, j);
        }
        if (changed.stream().anyMatch(j -> j.state() == JobState.QUEUED)) {
            signal();
        }
    }

    // ---- notifications and events -----------------------------------------------------------------------------

    /** A notification from any node: {@code <kind>:<job id>:<node>}. */
    private void notified(String payload) {
        String[] parts = payload.split(":", 3);
        if (parts.length != 3) {
            return;
        }
        JobEvent.Kind kind;
        long id;
        try {
            kind = JobEvent.Kind.valueOf(parts[0]);
            id = Long.parseLong(parts[1]);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (kind == JobEvent.Kind.SUBMITTED || kind == JobEvent.Kind.REQUEUED) {
            signal();
        }
        if (kind == JobEvent.Kind.CANCEL_REQUESTED) {
            RunningJob r = running.get(id);
            if (r != null) {
                r.cancelRequested = true;
            }
        }
        if (!parts[2].equals(node()) && !listeners.isEmpty()) {
            events.execute(() -> store.find(id).ifPresent(j -> deliver(new JobEvent(kind, j))));
        }
    }

    /** A job was inserted in a unit of work that has not committed yet: its events wait for its {@code SUBMITTED}. */
    void submitting(long id) {
        synchronized (order) {
            long now = System.nanoTime();
            // a submit that rolled back never emits: forget it after a while
            submitting.entrySet().removeIf(e -> {
                boolean stale = now - e.getValue() > SUBMIT_HOLD_NANOS;
                if (stale) {
                    held.remove(e.getKey());
                }
                return stale;
            });
            submitting.put(id, now);
        }
    }

    /**
     * Tells this node's listeners of a change made on this node (after it committed), in order per job: the events of
     * a job whose submit is still committing wait for its {@code SUBMITTED}.
     */
    void emit(JobEvent.Kind kind, Job job) {
        JobEvent event = new JobEvent(kind, job);
        synchronized (order) {
            long id = job.id();
            if (kind == JobEvent.Kind.SUBMITTED) {
                submitting.remove(id);
                enqueue(event);
                List<JobEvent> later = held.remove(id);
                if (later != null) {
                    later.forEach(this::enqueue);
                }
                return;
            }
            if (submitting.containsKey(id)) {
                held.computeIfAbsent(id, k -> new ArrayList<>()).add(event);
                return;
            }
            enqueue(event);
        }
    }

    private void enqueue(JobEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        Job job = event.job();
        try {
            events.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("Job event of job {} dropped: the engine stops", job.id());
        }
    }

    private void deliver(JobEvent event) {
        for (JobListener l : listeners) {
            try {
                l.jobChanged(event);
            } catch (RuntimeException e) {
                LOG.warn(
                        "A job listener failed on an event of job {}",
                        event.job().id(),
                        e);
            }
        }
    }

    /** A running job of this node was asked to cancel (on this node). */
    void cancelRequested(long id) {
        RunningJob r = running.get(id);
        if (r != null) {
            r.cancelRequested = true;
        }
    }

    /** Jobs running on this node now (tests, diagnostics). */
    int runningCount() {
        return running.size();
    }

    /** Runs {@code work} in a unit of work (for the scheduler). */
    <T> T inUnit(Supplier<T> work) {
        return uow.required(work);
    }
}
