package org.karyo.mail.impl.internal;

import com.sun.mail.smtp.SMTPTransport;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Optional;
import javax.mail.Session;
import org.karyo.api.EnvOverrides;
import org.karyo.mail.api.Mailer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link Mailer} while SMTP is configured: with a {@code host} (from {@code etc/org.karyo.mail.cfg} or
 * {@code KARYO_SMTP_HOST}) it registers an {@link SmtpMailer}; without one it registers nothing, and modules that send
 * e-mail skip it. The configuration policy is optional, not required, so that the environment alone can configure SMTP
 * in a container. A configuration change re-activates the component, which re-registers the service.
 */
@Component(configurationPid = MailComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = MailComponent.Config.class)
public final class MailComponent {

    static final String PID = "org.karyo.mail";
    private static final Logger LOG = LoggerFactory.getLogger(MailComponent.class);

    /** Outgoing e-mail ({@code etc/org.karyo.mail.cfg}); environment variables win. */
    @ObjectClassDefinition(name = "Karyo mail", description = "The SMTP server Karyo sends e-mail through")
    public @interface Config {
        @AttributeDefinition(description = "SMTP server; empty: no e-mail is sent. Env KARYO_SMTP_HOST")
        String host() default "";

        @AttributeDefinition(
                description = "SMTP port (587 submission, 465 with ssl=true, 25 relay). Env KARYO_SMTP_PORT")
        int port() default 587;

        @AttributeDefinition(description = "SMTP AUTH user; empty: no authentication. Env KARYO_SMTP_USERNAME")
        String username() default "";

        @AttributeDefinition(
                type = AttributeType.PASSWORD,
                description = "SMTP AUTH password; set it through the environment. Env KARYO_SMTP_PASSWORD")
        String password() default "";

        @AttributeDefinition(
                description = "STARTTLS: required, optional or off; empty: required, or off for localhost. Env "
                        + "KARYO_SMTP_STARTTLS")
        String starttls() default "";

        @AttributeDefinition(description = "TLS from the first byte (SMTPS, port 465). Env KARYO_SMTP_SSL")
        boolean ssl() default false;

        @AttributeDefinition(
                description = "Sender address, for example 'Karyo <noreply@example.org>'; required with a host. Env "
                        + "KARYO_SMTP_FROM")
        String from() default "";

        @AttributeDefinition(description = "Connect, read and write timeout in milliseconds. Env KARYO_SMTP_TIMEOUT_MS")
        int timeout_ms() default 10_000;
    }

    private final ServiceRegistration<Mailer> registration;

    /** Activated by SCR. */
    @Activate
    public MailComponent(Config config, BundleContext context) {
        this(config, EnvOverrides.system(), context);
    }

    MailComponent(Config config, EnvOverrides env, BundleContext context) {
        Optional<SmtpSettings> settings;
        try {
            settings = SmtpSettings.resolve(config, env);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; no Mailer is registered", e.getMessage());
            throw e;
        }
        if (settings.isEmpty()) {
            LOG.info(
                    "No SMTP host configured ({} host, env {}): no Mailer, e-mail is not sent",
                    PID,
                    SmtpSettings.ENV_HOST);
            registration = null;
            return;
        }
        SmtpSettings s = settings.get();
        if (s.authenticates() && !s.ssl() && s.starttls() != SmtpSettings.StartTls.REQUIRED && !s.loopback()) {
            LOG.warn("SMTP credentials may cross the network in clear: use starttls=required or ssl=true");
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("smtp.host", s.host());
        registration = context.registerService(Mailer.class, new SmtpMailer(s), props);
        LOG.info(
                "Mailer registered: SMTP {}:{} (starttls={}, ssl={}, auth={}); transport from {}, javax.mail from {}",
                s.host(),
                s.port(),
                s.starttls().name().toLowerCase(Locale.ROOT),
                s.ssl(),
                s.authenticates(),
                origin(SMTPTransport.class),
                origin(Session.class));
    }

    /** The bundle a class comes from ({@code bsn version}), to check the wiring in the log. */
    static String origin(Class<?> type) {
        Bundle b = FrameworkUtil.getBundle(type);
        return b == null ? "the class path" : b.getSymbolicName() + " " + b.getVersion();
    }

    /** Whether the Mailer is registered. */
    boolean registered() {
        return registration != null;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with the bundle
            }
        }
    }
}
