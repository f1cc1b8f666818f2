package org.karyo.jobs.impl.internal;

import org.apache.karaf.scheduler.ScheduleOptions;
import org.apache.karaf.scheduler.Scheduler;
import org.apache.karaf.scheduler.SchedulerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires tasks with Karaf's scheduler (Quartz, in memory): one job per task, named {@code karyo.task.<name>}, which
 * {@code scheduler:list} shows. A firing only hands the task to {@link SchedulerCore}, which runs it on its own
 * threads, so Quartz's threads never wait for a task.
 */
final class KarafTrigger implements SchedulerCore.Trigger {

    static final String PREFIX = "karyo.task.";
    private static final Logger LOG = LoggerFactory.getLogger(KarafTrigger.class);

    private final Scheduler scheduler;

    KarafTrigger(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void schedule(String task, String expression, Runnable fire) {
        ScheduleOptions options = scheduler.EXPR(expression).name(PREFIX + task).canRunConcurrently(true);
        try {
            scheduler.schedule(fire, options);
        } catch (SchedulerError | IllegalArgumentException e) {
            LOG.error("Task {} could not be scheduled with '{}'", task, expression, e);
        }
    }

    @Override
    public void unschedule(String task) {
        scheduler.unschedule(PREFIX + task);
    }
}
