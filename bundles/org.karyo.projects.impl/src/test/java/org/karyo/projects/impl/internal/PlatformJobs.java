package org.karyo.projects.impl.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobListener;
import org.karyo.jobs.impl.internal.JobsComponent;
import org.karyo.testing.TestConfigs;

/**
 * The platform's job facility (the real {@code org.karyo.jobs.impl} component) on the test database, one node, wired
 * as SCR wires it: its handler and listener bind methods are package-private DS methods, called here the way SCR calls
 * them, by reflection.
 */
final class PlatformJobs implements AutoCloseable {

    private final JobsComponent component;
    private final Object changed = new Object();

    PlatformJobs(DataSource ds, UnitOfWork uow, AuditTrail audit, String node) {
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
        bind("addListener", new Class<?>[] {JobListener.class}, wake);
    }

    /** The {@link org.karyo.jobs.api.JobService}. */
    JobsComponent service() {
        return component;
    }

    /** Registers a handler of {@code type}. */
    void handler(String type, JobHandler handler) {
        bind("addHandler", new Class<?>[] {JobHandler.class, Map.class}, handler, Map.of(JobHandler.TYPE, type));
    }

    /** Registers a listener. */
    void listener(JobListener listener) {
        bind("addListener", new Class<?>[] {JobListener.class}, listener);
    }

    /** Waits until job {@code id} ended (woken by its changes, re-reading it), at most {@code timeout}. */
    Job awaitEnd(long id, Duration timeout) {
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
        bind("stop", new Class<?>[0]);
    }

    private void bind(String method, Class<?>[] types, Object... args) {
        try {
            Method m = JobsComponent.class.getDeclaredMethod(method, types);
            m.setAccessible(true);
            m.invoke(component, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(method, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(method, e);
        }
    }
}
