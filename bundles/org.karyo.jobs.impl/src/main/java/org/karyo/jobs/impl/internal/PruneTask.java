package org.karyo.jobs.impl.internal;

import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;

/**
 * The facility's own upkeep, once a day across the cluster: removes jobs that ended more than {@code retention.days}
 * ago ({@code org.karyo.jobs}) and task runs older than {@code history.days} ({@code org.karyo.scheduler}).
 */
final class PruneTask implements ScheduledTask {

    static final String NAME = "jobs.prune";

    private final Jobs jobs;
    private final TaskStore runs;
    private final int jobDays;
    private final int historyDays;

    PruneTask(Jobs jobs, SchedulerCore scheduler, int jobDays, int historyDays) {
        this.jobs = jobs;
        this.runs = scheduler.store();
        this.jobDays = jobDays;
        this.historyDays = historyDays;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Removes jobs that ended more than " + jobDays + " days ago and task runs older than " + historyDays
                + " days";
    }

    @Override
    public String defaultSchedule() {
        return "0 15 4 * * ?";
    }

    @Override
    public boolean catchUp() {
        return true;
    }

    @Override
    public void run(TaskContext context) {
        int removedJobs = jobs.prune(jobDays);
        int removedRuns = runs.prune(historyDays);
        context.summary("removed " + removedJobs + " job(s) and " + removedRuns + " task run(s)");
    }
}
