package org.karyo.audit.impl.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.audit.api.AuditService;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit checkpoints on the platform's scheduler: the per-node task {@value #NAME} signs this node's view of the
 * chain head and appends it to the node's checkpoint file (each node's file is its own witness of the head), every
 * {@code checkpoint.interval.minutes} unless {@code task.audit.checkpoint.schedule} in {@code org.karyo.scheduler} says
 * otherwise. The final checkpoint at the audit component's deactivation stays with that component.
 *
 * <p>It is also the readiness check of the same name: while checkpoints should be signed (there is an HMAC key) but
 * no scheduler runs this task ({@code karyo-jobs} is not installed), the platform is not ready and
 * {@code /api/health/detail} says that checkpoints are not being signed. {@code karyo-audit} cannot depend on
 * {@code karyo-jobs} (which needs the audit trail), so this is how a site that removed the scheduler hears of it.
 */
@Component(service = {ScheduledTask.class, ReadinessCheck.class})
public final class CheckpointTask implements ScheduledTask, ReadinessCheck {

    static final String NAME = "audit.checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointTask.class);

    /**
     * The periods a Quartz cron expression states exactly, in minutes: the divisors of an hour, of a day (in hours),
     * days of the month, and a week.
     */
    private static final List<Integer> PERIODS = List.of(
            1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 5760, 7200, 8640,
            10080);

    /** Signs the chain head; {@code true} when it wrote a checkpoint (false when the head was signed already). */
    @FunctionalInterface
    interface Signer {
        boolean sign() throws Exception;
    }

    private final Signer signer;
    private final boolean signs;
    private final String schedule;
    private volatile TaskService scheduler;

    /**
     * @param audit the audit component of this bundle (selected by its component name)
     */
    @Activate
    public CheckpointTask(
            @Reference(target = "(component.name=org.karyo.audit.impl.internal.AuditComponent)") AuditService audit) {
        this(component(audit));
    }

    private CheckpointTask(AuditComponent audit) {
        this(audit::checkpoint, audit.signsCheckpoints(), audit.checkpointInterval());
    }

    /**
     * @param signer signs the chain head
     * @param signs whether checkpoints are signed at all (there is an HMAC key)
     * @param interval {@code checkpoint.interval.minutes}
     */
    CheckpointTask(Signer signer, boolean signs, Duration interval) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.signs = signs;
        this.schedule = cron(Objects.requireNonNull(interval, "interval"));
    }

    private static AuditComponent component(AuditService audit) {
        if (audit instanceof AuditComponent a) {
            return a;
        }
        throw new IllegalStateException("the audit service of this bundle is not its AuditComponent");
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetScheduler")
    void setScheduler(TaskService s) {
        scheduler = s;
    }

    void unsetScheduler(TaskService s) {
        if (scheduler == s) {
            scheduler = null;
        }
    }

    // ---- ScheduledTask ---------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Signs the audit chain head with the HMAC key and appends it to this node's checkpoint file";
    }

    @Override
    public String defaultSchedule() {
        return schedule;
    }

    @Override
    public TaskScope scope() {
        return TaskScope.NODE;
    }

    @Override
    public void run(TaskContext context) throws Exception {
        if (!signs) {
            context.summary("no HMAC key (KARYO_AUDIT_HMAC_KEY): checkpoints are off");
            return;
        }
        context.summary(signer.sign() ? "signed the chain head" : "the chain head was signed already");
    }

    /**
     * The Quartz cron expression of {@code interval}: the longest period a cron expression states exactly that is not
     * longer than it (so checkpoints are never rarer than configured), from the start of the hour, day or month.
     */
    static String cron(Duration interval) {
        long minutes = Math.max(1, interval.toMinutes());
        int period = PERIODS.get(0);
        for (int p : PERIODS) {
            if (p <= minutes) {
                period = p;
            }
        }
        if (period != minutes) {
            LOG.info(
                    "checkpoint.interval.minutes = {} is not a period of a cron schedule: task {} runs every {} minutes",
                    minutes,
                    NAME,
                    period);
        }
        if (period < 60) {
            return "0 0/" + period + " * * * ?";
        }
        if (period == 60) {
            return "0 0 * * * ?";
        }
        if (period < 1440) {
            return "0 0 0/" + period / 60 + " * * ?";
        }
        if (period == 1440) {
            return "0 0 0 * * ?";
        }
        if (period < 10080) {
            return "0 0 0 1/" + period / 1440 + " * ?";
        }
        return "0 0 0 ? * MON";
    }

    // ---- ReadinessCheck (its name() is the task's) -----------------------------------------------------------------

    /**
     * Always ready: unsigned checkpoints weaken the tamper evidence but stop no request, so a site that runs without
     * {@code karyo-jobs} keeps serving; {@link #detail()} says it in {@code /api/health/detail}.
     */
    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String detail() {
        return !signs || scheduler != null
                ? null
                : "audit checkpoints are not being signed: no scheduler runs the task " + NAME
                        + " (install the module karyo-jobs)";
    }
}
