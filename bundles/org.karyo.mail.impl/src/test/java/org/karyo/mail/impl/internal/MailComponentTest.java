package org.karyo.mail.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.mail.api.Mailer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The Mailer is registered only while a host is configured. */
class MailComponentTest {

    /** What the fake framework saw. */
    static final class Framework {
        final List<Object> registered = new ArrayList<>();
        final List<Dictionary<?, ?>> properties = new ArrayList<>();
        int unregistered;

        BundleContext context() {
            return (BundleContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                        if (method.getName().equals("registerService")) {
                            assertThat(args[0]).isEqualTo(Mailer.class);
                            registered.add(args[1]);
                            properties.add((Dictionary<?, ?>) args[2]);
                            return registration();
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private ServiceRegistration<?> registration() {
            return (ServiceRegistration<?>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                        if (method.getName().equals("unregister")) {
                            unregistered++;
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void withoutAHostNothingIsRegistered() {
        Framework fw = new Framework();
        MailComponent c = new MailComponent(SmtpSettingsTest.config(Map.of()), EnvOverrides.of(Map.of()), fw.context());

        assertThat(c.registered()).isFalse();
        assertThat(fw.registered).isEmpty();
        c.deactivate();
        assertThat(fw.unregistered).isZero();
    }

    @Test
    void withAHostAnSmtpMailerIsRegisteredUntilDeactivation() {
        Framework fw = new Framework();
        MailComponent c = new MailComponent(
                SmtpSettingsTest.config(Map.of()),
                EnvOverrides.of(
                        Map.of("KARYO_SMTP_HOST", "smtp.example.org", "KARYO_SMTP_FROM", "noreply@example.org")),
                fw.context());

        assertThat(c.registered()).isTrue();
        assertThat(fw.registered).singleElement().isInstanceOf(SmtpMailer.class);
        assertThat(fw.properties.get(0).get("smtp.host")).isEqualTo("smtp.example.org");
        c.deactivate();
        assertThat(fw.unregistered).isEqualTo(1);
    }

    @Test
    void anInvalidConfigurationRegistersNothing() {
        Framework fw = new Framework();
        assertThatThrownBy(() -> new MailComponent(
                        SmtpSettingsTest.config(Map.of("host", "smtp.example.org")),
                        EnvOverrides.of(Map.of()),
                        fw.context()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fw.registered).isEmpty();
    }

    @Test
    void outsideOsgiTheClassesComeFromTheClassPath() {
        assertThat(MailComponent.origin(String.class)).isEqualTo("the class path");
    }
}
