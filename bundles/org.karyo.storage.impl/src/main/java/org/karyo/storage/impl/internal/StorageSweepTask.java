package org.karyo.storage.impl.internal;

import java.util.Map;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.SweepReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster task {@value #NAME}: a real sweep ({@link StorageSweeper#sweep}, the configured grace period) once per
 * firing across all nodes, recorded in the scheduler's history with what it removed. Its schedule is
 * {@code task.storage.sweep.schedule} in {@code etc/org.karyo.scheduler.cfg} (daily at 03:30 by default), switched off
 * with {@code task.storage.sweep.enabled = false}.
 *
 * <p>The keys {@code schedule} and {@code enabled} of {@value Sweeper#PID} moved there; for one release they are still
 * read (with a warning at activation): {@code schedule} becomes this task's default schedule, and
 * {@code enabled = false} makes each run do nothing but say so in its summary.
 *
 * <p>Cleaning the filesystem store's {@code tmp/} is node-local and stays a step of that store's start.
 */
@Component(service = ScheduledTask.class, configurationPid = Sweeper.PID)
public final class StorageSweepTask implements ScheduledTask {

    static final String NAME = "storage.sweep";
    static final String DEFAULT_SCHEDULE = "0 30 3 * * ?";
    static final String OLD_SCHEDULE = "schedule";
    static final String OLD_ENABLED = "enabled";
    private static final Logger LOG = LoggerFactory.getLogger(StorageSweepTask.class);

    private final StorageSweeper sweeper;
    private final String schedule;
    private final boolean enabled;

    /**
     * @param properties the sweeper's configuration, read for the keys that moved to the scheduler
     * @throws IllegalArgumentException the old {@code schedule} key is not a Quartz cron expression
     */
    @Activate
    public StorageSweepTask(@Reference StorageSweeper sweeper, Map<String, Object> properties) {
        this.sweeper = sweeper;
        Object oldSchedule = properties.get(OLD_SCHEDULE);
        Object oldEnabled = properties.get(OLD_ENABLED);
        String s = oldSchedule == null ? "" : oldSchedule.toString().strip();
        this.schedule = s.isEmpty() ? DEFAULT_SCHEDULE : checkExpression(s);
        this.enabled =
                oldEnabled == null || Boolean.parseBoolean(oldEnabled.toString().strip());
        if (oldSchedule != null || oldEnabled != null) {
            LOG.warn(
                    "{}: the keys 'schedule' and 'enabled' moved to org.karyo.scheduler as task.{}.schedule and"
                            + " task.{}.enabled; they are read for this release (schedule '{}', enabled {})",
                    Sweeper.PID,
                    NAME,
                    NAME,
                    schedule,
                    enabled);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Removes objects no module references and stale multipart uploads (older than the sweeper's grace"
                + " period), and the store's leftovers of unfinished writes";
    }

    @Override
    public String defaultSchedule() {
        return schedule;
    }

    @Override
    public void run(TaskContext context) {
        if (!enabled) {
            context.summary("off: " + Sweeper.PID + " says enabled=false (use task." + NAME
                    + ".enabled=false in org.karyo.scheduler instead)");
            return;
        }
        SweepReport r = sweeper.sweep(false, null);
        context.summary(summary(r));
    }

    /** What a sweep removed, in one line. */
    static String summary(SweepReport r) {
        return "removed " + r.objects().size() + " objects (" + r.bytes() + " bytes), aborted "
                + r.uploads().size() + " multipart uploads, removed "
                + r.leftovers().files()
                + " leftover files (" + r.leftovers().bytes() + " bytes)";
    }

    /** A Quartz cron expression has 6 or 7 fields. */
    static String checkExpression(String expression) {
        int fields = expression.isEmpty() ? 0 : expression.split("\\s+").length;
        if (fields < 6 || fields > 7) {
            throw new IllegalArgumentException(Sweeper.PID + ": schedule must be a Quartz cron expression of 6 or 7"
                    + " fields (seconds minutes hours day-of-month month day-of-week [year]), such as '0 30 3 * * ?',"
                    + " not '" + expression + "'");
        }
        return expression;
    }
}
