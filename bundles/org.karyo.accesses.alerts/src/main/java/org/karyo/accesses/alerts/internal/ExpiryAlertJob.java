package org.karyo.accesses.alerts.internal;

import java.time.Clock;
import javax.sql.DataSource;
import org.karyo.accesses.alerts.internal.ExpiryAlerts.RunResult;
import org.karyo.accesses.alerts.internal.ExpiryAlerts.Status;
import org.karyo.accesses.api.AccessService;
import org.karyo.api.EnvOverrides;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.UserService;
import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.mail.api.Mailer;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry alerts ({@link ExpiryAlerts}) as the platform scheduler's cluster task {@value #TASK_NAME}
 * (docs/design/jobs.md): it runs once per firing across the nodes, its firings are recorded in PostgreSQL, and it
 * catches up a firing missed while the platform was down (the sent-alert records make extra runs harmless). Its
 * default schedule follows {@code interval.minutes}; {@code task.accesses.expiry-alerts.schedule} in
 * {@code etc/org.karyo.scheduler.cfg} overrides it. An operator runs it now with {@code karyo:task-run} or
 * {@code POST /api/tasks/accesses.expiry-alerts/run}.
 *
 * <p>The Mailer is optional and dynamic: without SMTP the runs skip (logged once). Disabled (the default, as in
 * Cohort360 where a preprod copy once mailed real users), every run does nothing and summarises "off".
 */
@Component(
        service = ScheduledTask.class,
        configurationPid = ExpiryAlertJob.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ExpiryAlertJob.Config.class)
public final class ExpiryAlertJob implements ScheduledTask {

    static final String PID = "org.karyo.accesses.alerts";
    static final String TASK_NAME = "accesses.expiry-alerts";
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryAlertJob.class);

    /** The expiry alerts ({@code etc/org.karyo.accesses.alerts.cfg}); environment variables win. */
    @ObjectClassDefinition(
            name = "Karyo access expiry alerts",
            description = "E-mails users before their accesses end, once per access and threshold")
    public @interface Config {
        @AttributeDefinition(
                description = "Send alerts (off by default: switch on only where mails may reach real users). Env"
                        + " KARYO_ACCESS_EXPIRY_ALERTS")
        boolean enabled() default false;

        @AttributeDefinition(
                description =
                        "Minutes between runs (1-1440; rounded down to a divisor of 60, or whole hours dividing 24): the"
                                + " default schedule of the scheduler task accesses.expiry-alerts. Env"
                                + " KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES",
                min = "1",
                max = "1440")
        int interval_minutes() default 60;

        @AttributeDefinition(
                description = "Days before the end at which a user is alerted, comma-separated. Env"
                        + " KARYO_ACCESS_EXPIRY_ALERTS_THRESHOLDS_DAYS")
        String thresholds_days() default "30,2";

        @AttributeDefinition(
                description = "Subject; placeholders {{days}}, {{count}}, {{name}}, {{username}}. Env"
                        + " KARYO_ACCESS_EXPIRY_ALERTS_SUBJECT")
        String subject() default "Your Karyo accesses end within {{days}} days";

        @AttributeDefinition(
                description = "Time zone of the end dates in the mails. Env KARYO_ACCESS_EXPIRY_ALERTS_TIME_ZONE")
        String time_zone() default "UTC";
    }

    private final AlertSettings settings;
    private final ExpiryAlerts alerts;
    private final String schedule;
    private volatile Mailer mailer;

    /** Constructed by SCR once the module's schema is migrated. */
    @Activate
    public ExpiryAlertJob(
            Config config,
            @Reference AccessService accesses,
            @Reference UserService users,
            @Reference AuditTrail audit,
            @Reference UnitOfWork uow,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=access_alerts)") SchemaReady schema) {
        this(config, EnvOverrides.system(), accesses, users, audit, uow, dataSource, Clock.systemUTC());
        if (settings.enabled()) {
            LOG.info(
                    "Access expiry alerts at {} day(s) before the end: scheduler task {} ({})",
                    settings.thresholds(),
                    TASK_NAME,
                    schedule);
        } else {
            LOG.info(
                    "Access expiry alerts are off ({} {}, env {})",
                    PID,
                    AlertSettings.ENABLED,
                    AlertSettings.ENV_ENABLED);
        }
    }

    ExpiryAlertJob(
            Config config,
            EnvOverrides env,
            AccessService accesses,
            UserService users,
            AuditTrail audit,
            UnitOfWork uow,
            DataSource dataSource,
            Clock clock) {
        try {
            this.settings = AlertSettings.resolve(config, env);
            Sql sql = new Sql(dataSource, "access_alerts");
            this.alerts = new ExpiryAlerts(
                    settings,
                    accesses,
                    users,
                    new SentAlerts(sql, Writes.statements(uow, sql, audit)),
                    new AlertMails(settings.subject(), settings.zone()),
                    () -> mailer,
                    clock);
            this.schedule = cron(settings.intervalMinutes());
        } catch (IllegalArgumentException e) {
            LOG.error("{}; no access expiry alerts are sent", e.getMessage());
            throw e;
        }
    }

    /** The Mailer, while SMTP is configured. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetMailer")
    void setMailer(Mailer m) {
        mailer = m;
    }

    void unsetMailer(Mailer m) {
        if (mailer == m) {
            mailer = null;
        }
    }

    @Override
    public String name() {
        return TASK_NAME;
    }

    @Override
    public String description() {
        return "E-mails users whose accesses end soon, once per access and threshold";
    }

    @Override
    public String defaultSchedule() {
        return schedule;
    }

    /** A firing missed while the platform was down runs at start: the records make it send only what is due. */
    @Override
    public boolean catchUp() {
        return true;
    }

    @Override
    public void run(TaskContext context) {
        RunResult r = alerts.run();
        context.summary(summary(r));
        if (r.status() == Status.FAILED) {
            throw new IllegalStateException("the expiry alerts could not read the accesses or the alert records");
        }
    }

    /** One line for the task history. */
    static String summary(RunResult r) {
        return switch (r.status()) {
            case DISABLED -> "off (" + AlertSettings.ENABLED + " = false)";
            case NO_MAILER -> "no Mailer (SMTP is not configured): nothing sent";
            case BUSY -> "another run was still going: nothing sent";
            case FAILED -> "failed: nothing sent";
            case DONE, STOPPED -> "sent " + r.mailsSent() + " mail(s) for " + r.alertsRecorded() + " alert(s), "
                    + r.usersSkipped() + " user(s) skipped, " + r.mailsFailed() + " failed"
                    + (r.status() == Status.STOPPED ? " (stopped after failed sends)" : "");
        };
    }

    /**
     * The Quartz cron expression of a run every {@code minutes} minutes, on the hour: a divisor of 60 runs every so many
     * minutes, a whole number of hours dividing 24 every so many hours; any other interval is rounded down to the
     * nearest such one.
     */
    static String cron(int minutes) {
        if (minutes >= 60) {
            int hours = Math.min(24, minutes / 60);
            while (24 % hours != 0) {
                hours--;
            }
            return hours == 24 ? "0 0 0 * * ?" : hours == 1 ? "0 0 * * * ?" : "0 0 0/" + hours + " * * ?";
        }
        int m = Math.max(1, minutes);
        while (60 % m != 0) {
            m--;
        }
        return m == 1 ? "0 * * * * ?" : "0 0/" + m + " * * * ?";
    }

    /** The runs' target (tests call it as the task does). */
    ExpiryAlerts alerts() {
        return alerts;
    }

    @Deactivate
    void deactivate() {
        alerts.close();
    }
}
