package org.karyo.storage.impl.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.StorageSweeper;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link StorageSweeper} on its schedule ({@code schedule} and {@code enabled} of {@value Sweeper#PID}) with
 * the Karaf scheduler's whiteboard: while enabled it registers a {@link Runnable} service with {@code scheduler.name},
 * {@code scheduler.expression} (Quartz cron) and {@code scheduler.concurrent=false}. The {@code scheduler} feature
 * ({@code org.apache.karaf.scheduler.core}) must be installed; this bundle does not import its API. A scheduled run is
 * a real sweep with the configured grace period.
 */
@Component(configurationPid = Sweeper.PID, immediate = true)
public final class SweepSchedule {

    static final String JOB_NAME = "karyo-storage-sweep";
    private static final Logger LOG = LoggerFactory.getLogger(SweepSchedule.class);

    private final StorageSweeper sweeper;
    private final Sweeper.Config config;
    private ServiceRegistration<Runnable> registration;

    @Activate
    public SweepSchedule(@Reference StorageSweeper sweeper, Sweeper.Config config) {
        this.sweeper = sweeper;
        this.config = config;
        if (config.enabled()) {
            checkExpression(config.schedule());
        }
    }

    @Activate
    void start(BundleContext context) {
        if (!config.enabled()) {
            LOG.info("Storage sweeps are off ({} enabled=false); karyo:storage-sweep runs one by hand", Sweeper.PID);
            return;
        }
        registration = context.registerService(Runnable.class, this::runQuietly, schedule(config));
        LOG.info("Storage sweeps scheduled at '{}' (Karaf scheduler job {})", config.schedule(), JOB_NAME);
    }

    /** The Karaf scheduler whiteboard properties. */
    static Dictionary<String, Object> schedule(Sweeper.Config config) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("scheduler.name", JOB_NAME);
        props.put("scheduler.expression", config.schedule().strip());
        props.put("scheduler.concurrent", Boolean.FALSE);
        return props;
    }

    /** One scheduled sweep; a failure is logged (the next run tries again), never thrown at the scheduler. */
    void runQuietly() {
        try {
            sweeper.sweep(false, null);
        } catch (KaryoException e) {
            LOG.warn("Scheduled storage sweep skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Scheduled storage sweep failed", e);
        }
    }

    /** A Quartz cron expression has 6 or 7 fields. */
    static void checkExpression(String expression) {
        String e = expression == null ? "" : expression.strip();
        int fields = e.isEmpty() ? 0 : e.split("\\s+").length;
        if (fields < 6 || fields > 7) {
            throw new IllegalArgumentException(Sweeper.PID + ": schedule must be a Quartz cron expression of 6 or 7"
                    + " fields (seconds minutes hours day-of-month month day-of-week [year]), such as '0 30 3 * * ?',"
                    + " not '" + e + "'");
        }
    }

    @Deactivate
    void stop() {
        ServiceRegistration<Runnable> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }
}
