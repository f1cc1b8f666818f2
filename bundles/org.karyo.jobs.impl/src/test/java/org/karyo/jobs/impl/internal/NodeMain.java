package org.karyo.jobs.impl.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.karyo.db.internal.Pools;
import org.karyo.db.internal.TransactionalDataSource;
import org.karyo.db.internal.UnitOfWorkImpl;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskScope;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.testing.RecordingAuditTrail;

/**
 * One node of {@link MultiNodeTest} in a JVM of its own: the job engine and the scheduler core, as the platform wires
 * them, on the test database, with the test's handlers and tasks. Prints {@code READY} once started, and stops
 * cleanly when its standard input ends (or dies with {@code kill -9}).
 *
 * <p>Arguments: the JDBC URL, the node id, the lease in milliseconds.
 */
public final class NodeMain {

    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String node = args[1];
        Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
        HikariDataSource pool = Pools.open(Pools.target(url, null, null, 10), "node-" + node, 8, 10);
        UnitOfWorkImpl uow = new UnitOfWorkImpl(pool);
        TransactionalDataSource ds = new TransactionalDataSource(pool, uow);
        RecordingAuditTrail audit = new RecordingAuditTrail(uow);
        Sql sql = new Sql(ds, "test");
        Writes writes = Writes.statements(uow, sql, audit);
        EngineSettings settings = new EngineSettings(
                node,
                4,
                lease,
                lease.dividedBy(4),
                Duration.ofMillis(250),
                Duration.ofMillis(100),
                Duration.ofSeconds(2));
        JobEngine engine = new JobEngine(ds, uow, audit, settings);
        Jobs jobs = new Jobs(engine, audit);

        engine.addHandler("multi.quick", handler(false, 8, c -> {
            writes.run(
                    "test run",
                    tx -> tx.update(
                            "INSERT INTO public.multi_runs (job_id, node, attempt) VALUES (?, ?, ?)",
                            c.id(),
                            node,
                            c.attempt()));
            for (int i = 0; i < 3 && !c.cancelled(); i++) {
                Thread.sleep(10); // a little work
            }
            return Map.of("node", node);
        }));
        JobHandler gated = handler(true, 4, c -> {
            writes.run(
                    "test run",
                    tx -> tx.update(
                            "INSERT INTO public.multi_runs (job_id, node, attempt) VALUES (?, ?, ?)",
                            c.id(),
                            node,
                            c.attempt()));
            String from = c.checkpoint().getOrDefault("by", "");
            if (from.isEmpty()) {
                c.progress(1, 2L);
                c.checkpoint(Map.of("by", node, "stage", "1"));
            }
            while (!c.cancelled() && sql.count("SELECT count(*) FROM public.multi_gate WHERE open") == 0) {
                Thread.sleep(20); // a job blocked on outside work: the test opens the gate
            }
            c.throwIfCancelled();
            c.progress(2, 2L);
            Map<String, String> result = new HashMap<>();
            result.put("node", node);
            result.put("resumed_from", from);
            return result;
        });
        engine.addHandler("multi.resume", gated);
        engine.addHandler("multi.fragile", new JobHandler() {
            @Override
            public Map<String, String> run(JobContext c) throws Exception {
                return gated.run(c);
            }
        });

        ClockTrigger trigger = new ClockTrigger(ZoneId.systemDefault());
        SchedulerCore scheduler = new SchedulerCore(
                ds,
                uow,
                audit,
                jobs,
                SchedulerSettings.of(node, 2, lease, 30, ZoneId.systemDefault(), Map.of()),
                Clock.systemUTC(),
                trigger);
        engine.addHandler(org.karyo.jobs.api.TaskService.RUN_JOB_TYPE, scheduler.manualRuns());
        scheduler.add(task(
                "multi.tick",
                TaskScope.CLUSTER,
                c -> writes.run(
                        "test tick",
                        tx -> tx.update("INSERT INTO public.multi_ticks (slot, node) VALUES (?, ?)", c.slot(), node))));
        scheduler.add(task(
                "multi.local",
                TaskScope.NODE,
                c -> writes.run(
                        "test tick",
                        tx -> tx.update("INSERT INTO public.multi_local (slot, node) VALUES (?, ?)", c.slot(), node))));

        engine.start();
        scheduler.start();
        System.out.println("READY " + node);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // until the parent closes our input
            }
        }
        scheduler.close();
        trigger.close();
        engine.close();
        pool.close();
        System.exit(0);
    }

    interface Work {
        Map<String, String> run(JobContext c) throws Exception;
    }

    private static JobHandler handler(boolean resumable, int concurrency, Work work) {
        return new JobHandler() {
            @Override
            public Map<String, String> run(JobContext c) throws Exception {
                return work.run(c);
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

    interface Body {
        void run(TaskContext c) throws Exception;
    }

    private static ScheduledTask task(String name, TaskScope scope, Body body) {
        return new ScheduledTask() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "multi-node test task";
            }

            @Override
            public String defaultSchedule() {
                return "* * * * * ?";
            }

            @Override
            public TaskScope scope() {
                return scope;
            }

            @Override
            public boolean catchUp() {
                return true;
            }

            @Override
            public void run(TaskContext c) throws Exception {
                body.run(c);
            }
        };
    }
}
