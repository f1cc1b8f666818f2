package org.karyo.jobs.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskOutcome;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;
import org.karyo.jobs.api.TaskTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's scheduler, free of OSGi. A {@link Trigger} (the Karaf scheduler in the platform) calls {@link #fire} at
 * each cron time of each enabled task; the firing's slot is computed from the expression and this node's clock, so
 * every node names a firing alike. A cluster task's firing is recorded in {@code task_run} (unique per task and slot)
 * before it runs: the first node to record it runs it, the others, and this node after a restart, find it recorded.
 * A per-node task runs on every node and keeps its last run per node. Runs go to a small executor of their own.
 */
public final class SchedulerCore implements TaskService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerCore.class);
    private static final Pattern NAME = Jobs.TYPE;
    private static final String WHAT = "task";
    private static final int MAX_SUMMARY = 500;

    /** Calls {@link #fire} at the cron times of a task. */
    public interface Trigger {
        /** Starts firing {@code fire} at the times of {@code expression}. */
        void schedule(String task, String expression, Runnable fire);

        /** Stops firing a task. */
        void unschedule(String task);
    }

    /** A registered task with its schedule as configured. */
    private record Registered(
            ScheduledTask task, String schedule, Cron cron, boolean enabled, AtomicBoolean runningHere) {}

    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final JobService jobs;
    private final TaskStore store;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final Trigger trigger;
    private final Map<String, Registered> tasks = new ConcurrentHashMap<>();
    private final ExecutorService runs;
    private volatile boolean started;
    private volatile boolean closing;

    public SchedulerCore(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            JobService jobs,
            SchedulerSettings settings,
            Clock clock,
            Trigger trigger) {
        this.uow = Objects.requireNonNull(uow, "uow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = new TaskStore(dataSource, uow, audit);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.runs = Executors.newFixedThreadPool(settings.threads(), JobEngine.threads("karyo-task-"));
    }

    String node() {
        return settings.node();
    }

    TaskStore store() {
        return store;
    }

    // ---- registration ---------------------------------------------------------------------------------------------

    /** Registers a task and schedules it; a second task of one name is ignored (logged). */
    public void add(ScheduledTask task) {
        String name = task.name();
        if (name == null || !NAME.matcher(name).matches()) {
            LOG.error("A scheduled task has no valid name (<module>.<task> in lower case): ignored");
            return;
        }
        String schedule = settings.schedules().getOrDefault(name, task.defaultSchedule());
        Cron cron = null;
        try {
            cron = Cron.parse(schedule, settings.zone());
        } catch (IllegalArgumentException e) {
            LOG.error("Task {} is not scheduled: its default schedule {}", name, e.getMessage());
        }
        boolean enabled = cron != null && settings.enabled().getOrDefault(name, true);
        Registered r = new Registered(task, schedule, cron, enabled, new AtomicBoolean());
        if (tasks.putIfAbsent(name, r) != null) {
            LOG.error("A second scheduled task named {} was registered: ignored, the first one stays", name);
            return;
        }
        if (enabled) {
            trigger.schedule(name, cron.expression(), () -> fire(name));
            if (started && task.catchUp()) {
                submit(() -> catchUp(r));
            }
        }
        LOG.info(
                "Task {} ({}, {}) {}",
                name,
                task.scope(),
                schedule,
                enabled ? "scheduled" : "not scheduled (disabled)");
    }

    /** Unschedules a task; a run in progress finishes. */
    public void remove(ScheduledTask task) {
        String name = task.name();
        Registered r = name == null ? null : tasks.get(name);
        if (r != null && r.task() == task && tasks.remove(name, r)) {
            if (r.enabled()) {
                trigger.unschedule(name);
            }
        }
    }

    /** Starts: marks the runs this node left running as interrupted, then catches up the tasks that ask for it. */
    public void start() {
        int interrupted = uow.required(() -> store.interruptOwn(node()));
        if (interrupted > 0) {
            LOG.info("{} task run(s) of node {} were interrupted by its last stop", interrupted, node());
        }
        started = true;
        for (Registered r : tasks.values()) {
            if (r.enabled() && r.task().catchUp()) {
                submit(() -> catchUp(r));
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        for (Registered r : tasks.values()) {
            if (r.enabled()) {
                trigger.unschedule(r.task().name());
            }
        }
        runs.shutdownNow();
        try {
            runs.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            uow.required(() -> store.interruptOwn(node()));
        } catch (RuntimeException e) {
            LOG.debug("Could not mark the task runs of node {} interrupted", node(), e);
        }
    }

    private void submit(Runnable run) {
        try {
            runs.execute(run);
        } catch (RejectedExecutionException e) {
            LOG.debug("A task run was not started: the scheduler stops");
        }
    }

    // ---- firings
    // -----------------------------------------------------------------------------------------------------

    /** A firing of the task's schedule, now: runs the firing's slot unless it is recorded already. */
    public void fire(String name) {
        Registered r = tasks.get(name);
        if (r == null || closing || r.cron() == null) {
            return;
        }
        Optional<Instant> slot = r.cron().slot(clock.instant());
        slot.ifPresent(s -> submit(() -> runFiring(r, s, TaskTrigger.SCHEDULE)));
    }

    private void catchUp(Registered r) {
        Optional<Instant> slot = r.cron().slot(clock.instant());
        if (slot.isEmpty()) {
            return;
        }
        if (r.task().scope() == TaskScope.NODE) {
            Optional<TaskRun> last = store.localRun(r.task().name(), node());
            if (last.isPresent() && !last.get().slot().isBefore(slot.get())) {
                return;
            }
        }
        runFiring(r, slot.get(), TaskTrigger.CATCH_UP);
    }

    /** Runs one firing (a slot) of a task, if it is this node's to run. */
    void runFiring(Registered r, Instant slot, TaskTrigger trigger) {
        String name = r.task().name();
        try {
            if (r.task().scope() == TaskScope.NODE) {
                Optional<TaskRun> last = store.localRun(name, node());
                if (last.isPresent() && !slot.isAfter(last.get().slot())) {
                    LOG.debug("Task {} firing {} ran on node {} already", name, slot, node());
                    return;
                }
                if (!r.runningHere().compareAndSet(false, true)) {
                    LOG.debug("Task {} firing {} skipped on node {}: the previous run still runs", name, slot, node());
                    return;
                }
                try {
                    uow.run(() -> store.beginLocal(name, node(), slot, trigger, Caller.SYSTEM.id()));
                    Outcome o = execute(r, slot, trigger, Caller.SYSTEM, () -> false);
                    uow.run(() -> store.endLocal(name, node(), o.outcome(), o.error(), o.summary()));
                } finally {
                    r.runningHere().set(false);
                }
                return;
            }
            TaskStore.Begin begin =
                    uow.required(() -> store.begin(name, slot, trigger, node(), Caller.SYSTEM.id(), settings.lease()));
            if (begin instanceof TaskStore.Skipped s) {
                LOG.info(
                        "Task {} firing {} skipped: run {} is still running on node {}",
                        name,
                        slot,
                        s.running().id(),
                        s.running().node());
                return;
            }
            if (!(begin instanceof TaskStore.Started started)) {
                LOG.debug("Task {} firing {} was recorded already", name, slot);
                return;
            }
            Outcome o = execute(r, slot, trigger, Caller.SYSTEM, () -> false);
            uow.run(() -> store.end(started.id(), o.outcome(), o.error(), o.summary()));
        } catch (RuntimeException e) {
            LOG.warn("Task {} firing {} could not be recorded on node {}", name, slot, node(), e);
        }
    }

    /** How a run went. */
    private record Outcome(TaskOutcome outcome, String error, String summary, Throwable failure) {}

    /** Runs the task itself; never throws. */
    private Outcome execute(
            Registered r, Instant slot, TaskTrigger trigger, Caller caller, java.util.function.BooleanSupplier stop) {
        String name = r.task().name();
        Context context = new Context(name, slot, trigger, caller, stop);
        LOG.debug("Task {} runs on node {} ({} {})", name, node(), trigger, slot);
        try {
            r.task().run(context);
            return new Outcome(TaskOutcome.SUCCEEDED, null, context.summary, null);
        } catch (Throwable t) {
            if (closing) {
                return new Outcome(
                        TaskOutcome.INTERRUPTED, "the node running it (" + node() + ") stopped", context.summary, t);
            }
            String error;
            if (t instanceof KaryoException || t instanceof JobFailedException) {
                error = JobEngine.clip(t.getMessage());
            } else {
                error = "the task failed on node " + node() + " ("
                        + t.getClass().getSimpleName() + "); the node's log has the details";
                LOG.warn("Task {} failed on node {}", name, node(), t);
            }
            return new Outcome(TaskOutcome.FAILED, error, context.summary, t);
        }
    }

    /** What a task sees of its run. */
    private final class Context implements TaskContext {
        private final String task;
        private final Instant slot;
        private final TaskTrigger trigger;
        private final Caller caller;
        private final java.util.function.BooleanSupplier stop;
        private volatile String summary;

        Context(
                String task,
                Instant slot,
                TaskTrigger trigger,
                Caller caller,
                java.util.function.BooleanSupplier stop) {
            this.task = task;
            this.slot = slot;
            this.trigger = trigger;
            this.caller = caller;
            this.stop = stop;
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
            return trigger;
        }

        @Override
        public String node() {
            return settings.node();
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public boolean cancelled() {
            return closing || Thread.currentThread().isInterrupted() || stop.getAsBoolean();
        }

        @Override
        public void summary(String text) {
            summary = text == null ? null : text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY);
        }
    }

    // ---- manual runs
    // ---------------------------------------------------------------------------------------------------

    /** The handler of {@value TaskService#RUN_JOB_TYPE} jobs: one manual run each. */
    public JobHandler manualRuns() {
        return new JobHandler() {
            @Override
            public Map<String, String> run(JobContext context) throws Exception {
                return runManual(context);
            }

            @Override
            public int concurrency() {
                return 4;
            }

            @Override
            public int maxAttempts() {
                return 1;
            }
        };
    }

    private Map<String, String> runManual(JobContext job) throws JobFailedException {
        String name = job.payload().get("task");
        Registered r = name == null ? null : tasks.get(name);
        if (r == null) {
            throw new JobFailedException("task " + name + " is not registered on node " + node());
        }
        Instant slot = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String by = job.caller().id();
        boolean local = r.task().scope() == TaskScope.NODE;
        if (local && !r.runningHere().compareAndSet(false, true)) {
            throw new JobFailedException("task " + name + " is running on node " + node() + "; run it when it ends");
        }
        try {
            Optional<TaskRun> busy =
                    uow.required(() -> store.beginManual(name, slot, node(), by, job.id(), settings.lease()));
            if (busy.isPresent()) {
                throw new JobFailedException("task " + name + " is running (run "
                        + busy.get().id() + " on node " + busy.get().node() + "); run it when that run ends");
            }
            if (local) {
                uow.run(() -> store.beginLocal(name, node(), slot, TaskTrigger.MANUAL, by));
            }
            Outcome o = execute(r, slot, TaskTrigger.MANUAL, job.caller(), job::cancelled);
            long runId = store.byJob(job.id()).map(TaskRun::id).orElse(0L);
            uow.run(() -> {
                store.end(runId, o.outcome(), o.error(), o.summary());
                if (local) {
                    store.endLocal(name, node(), o.outcome(), o.error(), o.summary());
                }
            });
            if (o.outcome() != TaskOutcome.SUCCEEDED) {
                throw new JobFailedException(o.error());
            }
            return o.summary() == null
                    ? Map.of("run_id", Long.toString(runId))
                    : Map.of("run_id", Long.toString(runId), "summary", o.summary());
        } finally {
            if (local) {
                r.runningHere().set(false);
            }
        }
    }

    // ---- TaskService
    // -----------------------------------------------------------------------------------------------------

    private static void requireRight(Caller caller) {
        if (!caller.authenticated()) {
            throw KaryoException.unauthenticated("sign in to manage scheduled tasks");
        }
        if (!caller.hasRight(JobRights.TASKS_MANAGE)) {
            throw KaryoException.forbidden("managing scheduled tasks needs the right " + JobRights.TASKS_MANAGE);
        }
    }

    private Registered registered(String name) {
        Registered r = name == null ? null : tasks.get(name);
        if (r == null) {
            throw KaryoException.notFound(WHAT, name);
        }
        return r;
    }

    @Override
    public List<TaskInfo> list(Caller caller) {
        requireRight(caller);
        List<TaskInfo> out = new ArrayList<>();
        tasks.values().stream()
                .sorted(Comparator.comparing(r -> r.task().name()))
                .forEach(r -> out.add(info(r)));
        return out;
    }

    @Override
    public TaskInfo get(Caller caller, String name) {
        requireRight(caller);
        return info(registered(name));
    }

    private TaskInfo info(Registered r) {
        String name = r.task().name();
        Instant next = r.enabled() ? r.cron().next(clock.instant()).orElse(null) : null;
        List<TaskRun> perNode = r.task().scope() == TaskScope.NODE ? store.localRuns(name) : List.of();
        TaskRun last = store.last(name).orElse(null);
        if (!perNode.isEmpty() && (last == null || perNode.get(0).startedAt().isAfter(last.startedAt()))) {
            last = perNode.get(0);
        }
        return new TaskInfo(
                name,
                name.substring(0, name.indexOf('.')),
                r.task().description(),
                r.task().scope(),
                r.schedule(),
                r.task().defaultSchedule(),
                r.enabled(),
                next,
                last,
                perNode);
    }

    @Override
    public Job run(Caller caller, String name) {
        requireRight(caller);
        Registered r = registered(name);
        NewJob job = NewJob.of(RUN_JOB_TYPE).withKey(name).withPayload(Map.of("task", name));
        NewJob submitted = r.task().scope() == TaskScope.NODE ? job.onNode(node()) : job;
        return uow.required(() -> {
            Job j = jobs.submit(caller, submitted);
            audit.record(caller, AuditEvent.success("jobs.task.run", WHAT, name).with("job_id", j.id()));
            return j;
        });
    }

    @Override
    public Page<TaskRun> history(Caller caller, String name, PageRequest page) {
        requireRight(caller);
        if (name != null && !tasks.containsKey(name) && !store.hasHistory(name)) {
            throw KaryoException.notFound(WHAT, name);
        }
        return store.history(name, page);
    }
}
