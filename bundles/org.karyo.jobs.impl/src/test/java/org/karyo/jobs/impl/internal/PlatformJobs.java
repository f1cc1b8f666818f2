package org.karyo.jobs.impl.internal;

import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobListener;
import org.karyo.testing.TestConfigs;

/**
 * The platform's job facility (the real {@code org.karyo.jobs.impl} component) on the test database, one node, wired
 * as SCR wires it (its handler and listener bind methods are package-private DS methods of this package). The test kit
 * of the modules that run their work as platform jobs, published as this bundle's test-jar.
 */
public final class PlatformJobs implements AutoCloseable {

    private final JobsComponent component;
    private final Object changed = new Object();

    public PlatformJobs(DataSource ds, UnitOfWork uow, AuditTrail audit, String node) {
        SchemaReady schema = new SchemaReady() {
            @Override
            public String module() {
                return "jobs";
            }

            @Override
            public String schema() {
                return "karyo_jobs";
            }

            @Override
            public String version() {
                return "1";
            }
        };
        component = new JobsComponent(
                ds,
                uow,
                audit,
                schema,
                TestConfigs.of(
                        JobsComponent.Config.class,
                        Map.of(
                                "node_id", node,
                                "lease_seconds", 3,
                                "heartbeat_seconds", 1,
                                "poll_seconds", 1,
                                "progress_interval_millis", 100,
                                "shutdown_grace_seconds", 5)));
        JobListener wake = e -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        component.addListener(wake);
    }

    /** The {@link org.karyo.jobs.api.JobService}. */
    public JobsComponent service() {
        return component;
    }

    /** Registers a handler of {@code type}. */
    public void handler(String type, JobHandler handler) {
        component.addHandler(handler, Map.of(JobHandler.TYPE, type));
    }

    /** Registers a listener. */
    public void listener(JobListener listener) {
        component.addListener(listener);
    }

    /** Waits until job {@code id} ended (woken by its changes, re-reading it), at most {@code timeout}. */
    public Job awaitEnd(long id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                Job j = component.find(id).orElseThrow();
                if (j.state().finished()) {
                    return j;
                }
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new AssertionError("job " + id + " did not end within " + timeout + ": " + j);
                }
                try {
                    // woken by the job's changes; the bound re-reads it in case a notification came in between
                    changed.wait(Math.min(left, 250));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void close() {
        component.stop();
    }
}
