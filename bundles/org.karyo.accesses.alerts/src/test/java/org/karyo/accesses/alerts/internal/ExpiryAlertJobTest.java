package org.karyo.accesses.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.alerts.internal.ExpiryAlerts.Status;
import org.karyo.api.EnvOverrides;
import org.karyo.api.tx.UnitOfWork;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The component schedules the job through the Karaf scheduler whiteboard only while alerts are enabled. */
class ExpiryAlertJobTest {

    /** What the fake framework saw. */
    static final class Framework {
        final List<Object> services = new ArrayList<>();
        final List<Dictionary<?, ?>> properties = new ArrayList<>();
        int unregistered;

        BundleContext context() {
            return (BundleContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                        if (method.getName().equals("registerService") && args[0] == Runnable.class) {
                            services.add(args[1]);
                            properties.add((Dictionary<?, ?>) args[2]);
                            return Proxy.newProxyInstance(
                                    getClass().getClassLoader(),
                                    new Class<?>[] {ServiceRegistration.class},
                                    (p, m, a) -> {
                                        if (m.getName().equals("unregister")) {
                                            unregistered++;
                                            return null;
                                        }
                                        throw new UnsupportedOperationException(m.getName());
                                    });
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static ExpiryAlertJob job(Map<String, Object> cfg, Map<String, String> env) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
        UnitOfWork uow = (UnitOfWork) Proxy.newProxyInstance(
                ExpiryAlertJobTest.class.getClassLoader(), new Class<?>[] {UnitOfWork.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        DataSource ds = (DataSource) Proxy.newProxyInstance(
                ExpiryAlertJobTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        return new ExpiryAlertJob(
                AlertSettingsTest.config(cfg),
                EnvOverrides.of(env),
                new Fakes.Accesses(clock).service(),
                new Fakes.Users().service(),
                new Fakes.Audit(uow),
                uow,
                new SentAlerts(ds),
                clock);
    }

    @Test
    void disabledSchedulesNothing() {
        Framework fw = new Framework();
        ExpiryAlertJob job = job(Map.of(), Map.of());

        job.start(fw.context());

        assertThat(fw.services).isEmpty();
        assertThat(job.alerts().run().status()).isEqualTo(Status.DISABLED);
        job.deactivate();
        assertThat(fw.unregistered).isZero();
    }

    @Test
    void enabledRegistersARunnableForTheKarafScheduler() {
        Framework fw = new Framework();
        ExpiryAlertJob job = job(Map.of("interval.minutes", 15), Map.of("KARYO_ACCESS_EXPIRY_ALERTS", "true"));

        job.start(fw.context());

        assertThat(fw.services).singleElement().isInstanceOf(Runnable.class);
        Dictionary<?, ?> p = fw.properties.get(0);
        assertThat(p.get("scheduler.name")).isEqualTo("karyo-access-expiry-alerts");
        assertThat(p.get("scheduler.period")).isEqualTo(900L); // seconds, as a Long (the whiteboard casts)
        assertThat(p.get("scheduler.concurrent")).isEqualTo(Boolean.FALSE);
        assertThat(p.get("scheduler.immediate")).isEqualTo(Boolean.TRUE);

        ((Runnable) fw.services.get(0)).run(); // no Mailer yet: the run skips without touching the database
        assertThat(job.alerts().run().status()).isEqualTo(Status.NO_MAILER);

        job.deactivate();
        assertThat(fw.unregistered).isEqualTo(1);
        assertThat(job.alerts().run().status()).isEqualTo(Status.DISABLED);
    }

    @Test
    void aWrongConfigurationFailsTheActivation() {
        assertThatThrownBy(() -> job(Map.of("thresholds.days", "soon"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thresholds.days");
    }
}
