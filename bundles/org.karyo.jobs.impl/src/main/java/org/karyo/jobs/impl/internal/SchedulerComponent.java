package org.karyo.jobs.impl.internal;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.karaf.scheduler.Scheduler;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskService;
import org.karyo.persistence.Persistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link TaskService}: this node's {@link SchedulerCore}, firing through Karaf's scheduler, with the
 * {@link ScheduledTask} whiteboard services bound as they come and go, and the facility's own task {@code jobs.prune}.
 * It registers the {@link JobHandler} of manual runs ({@value TaskService#RUN_JOB_TYPE}) with the engine itself, before
 * its service is used (see {@link JobsComponent#addOwnHandler}). Immediate: the schedule runs whether or not anyone
 * holds the service.
 */
@Component(service = TaskService.class, configurationPid = SchedulerComponent.PID, immediate = true)
@Designate(ocd = SchedulerComponent.Config.class)
public final class SchedulerComponent implements TaskService {

    static final String PID = "org.karyo.scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    /**
     * The scheduler of this node ({@code etc/org.karyo.scheduler.cfg}). Each task's schedule is
     * {@code task.<name>.schedule = <Quartz cron>} and {@code task.<name>.enabled = false} switches one off.
     */
    @ObjectClassDefinition(
            name = "Karyo scheduler",
            description = "Scheduled tasks: task.<name>.schedule (Quartz cron) and task.<name>.enabled per task")
    public @interface Config {
        @AttributeDefinition(description = "How many task runs this node does at once", min = "1")
        int threads() default 2;

        @AttributeDefinition(description = "How many days task runs stay in the history", min = "1")
        int history_days() default 30;
    }

    private final SchedulerCore core;
    private final JobsComponent jobs;
    private final JobHandler manualRuns;

    @Activate
    public SchedulerComponent(
            @Reference JobsComponent jobs,
            @Reference Scheduler scheduler,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            Config config,
            Map<String, Object> properties) {
        SchedulerSettings settings;
        try {
            settings = SchedulerSettings.of(
                    jobs.node(),
                    config.threads(),
                    jobs.lease(),
                    config.history_days(),
                    ZoneId.systemDefault(),
                    properties);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; no task is scheduled on this node", PID, e.getMessage());
            throw e;
        }
        this.core = new SchedulerCore(
                dataSource, uow, audit, jobs, settings, Clock.systemUTC(), new KarafTrigger(scheduler));
        this.jobs = jobs;
        this.manualRuns = core.manualRuns();
        jobs.addOwnHandler(RUN_JOB_TYPE, manualRuns);
        core.add(new PruneTask(jobs.jobs(), core, jobs.retentionDays(), config.history_days()));
        core.start();
        LOG.info(
                "Scheduler of node {} active (time zone {}, {} threads)",
                settings.node(),
                settings.zone(),
                settings.threads());
    }

    @Reference(
            service = ScheduledTask.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeTask")
    void addTask(ScheduledTask task) {
        core.add(task);
    }

    void removeTask(ScheduledTask task) {
        core.remove(task);
    }

    @Deactivate
    void stop() {
        jobs.removeOwnHandler(RUN_JOB_TYPE, manualRuns);
        core.close();
    }

    // ---- TaskService -----------------------------------------------------------------------------------------------

    @Override
    public List<TaskInfo> list(Caller caller) {
        return core.list(caller);
    }

    @Override
    public TaskInfo get(Caller caller, String name) {
        return core.get(caller, name);
    }

    @Override
    public Job run(Caller caller, String name) {
        return core.run(caller, name);
    }

    @Override
    public Page<TaskRun> history(Caller caller, String name, PageRequest page) {
        return core.history(caller, name, page);
    }
}
