package org.karyo.accesses.alerts.internal;

import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessService;
import org.karyo.api.EnvOverrides;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.UserService;
import org.karyo.mail.api.Mailer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Schedules the expiry alerts ({@link ExpiryAlerts}) with the Karaf scheduler's whiteboard: while alerts are enabled it
 * registers a {@link Runnable} service with {@code scheduler.name}, {@code scheduler.period} (seconds),
 * {@code scheduler.concurrent=false} and {@code scheduler.immediate=true} (a run at start catches up whatever a
 * stopped platform missed; the records make extra runs harmless). The {@code scheduler} feature
 * ({@code org.apache.karaf.scheduler.core}) must be installed; this bundle does not import its API.
 *
 * <p>The Mailer is optional and dynamic: without SMTP the runs skip (logged once). Disabled (the default, as in
 * Cohort360 where a preprod copy once mailed real users), nothing is scheduled.
 */
@Component(configurationPid = ExpiryAlertJob.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ExpiryAlertJob.Config.class)
public final class ExpiryAlertJob {

    static final String PID = "org.karyo.accesses.alerts";
    static final String JOB_NAME = "karyo-access-expiry-alerts";
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
                description = "Minutes between runs (1-1440). Env KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES",
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
    private volatile Mailer mailer;
    private ServiceRegistration<Runnable> registration;

    /** Constructed by SCR once the module's schema is migrated. */
    @Activate
    public ExpiryAlertJob(
            Config config,
            @Reference AccessService accesses,
            @Reference UserService users,
            @Reference AuditTrail audit,
            @Reference UnitOfWork uow,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=access_alerts)") SchemaReady schema) {
        this(config, EnvOverrides.system(), accesses, users, audit, uow, new SentAlerts(dataSource), Clock.systemUTC());
    }

    ExpiryAlertJob(
            Config config,
            EnvOverrides env,
            AccessService accesses,
            UserService users,
            AuditTrail audit,
            UnitOfWork uow,
            SentAlerts sent,
            Clock clock) {
        try {
            this.settings = AlertSettings.resolve(config, env);
            this.alerts = new ExpiryAlerts(
                    settings,
                    accesses,
                    users,
                    audit,
                    uow,
                    sent,
                    new AlertMails(settings.subject(), settings.zone()),
                    () -> mailer,
                    clock);
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

    /**
     * Schedules the job (after the Mailer, if any, is bound: SCR binds references before it calls this, so the
     * immediate first run sees it).
     */
    @Activate
    void start(BundleContext context) {
        if (!settings.enabled()) {
            LOG.info(
                    "Access expiry alerts are off ({} {}, env {})",
                    PID,
                    AlertSettings.ENABLED,
                    AlertSettings.ENV_ENABLED);
            return;
        }
        registration = context.registerService(Runnable.class, alerts::runQuietly, schedule(settings));
        LOG.info(
                "Access expiry alerts every {} min at {} day(s) before the end (Karaf scheduler job {})",
                settings.intervalMinutes(),
                settings.thresholds(),
                JOB_NAME);
    }

    /** The Karaf scheduler whiteboard properties (the whiteboard reads the period as a Long or a String, in seconds). */
    static Dictionary<String, Object> schedule(AlertSettings settings) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("scheduler.name", JOB_NAME);
        props.put("scheduler.period", Long.valueOf(settings.intervalMinutes() * 60L));
        props.put("scheduler.concurrent", Boolean.FALSE);
        props.put("scheduler.immediate", Boolean.TRUE);
        return props;
    }

    /** The scheduled runs' target (tests call it as the scheduler would). */
    ExpiryAlerts alerts() {
        return alerts;
    }

    @Deactivate
    void deactivate() {
        alerts.close();
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
