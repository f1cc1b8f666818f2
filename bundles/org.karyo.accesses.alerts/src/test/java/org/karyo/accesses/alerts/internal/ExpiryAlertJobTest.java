package org.karyo.accesses.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestTaskContext;

/** The component is the platform scheduler's task {@code accesses.expiry-alerts}; its runs say what they did. */
class ExpiryAlertJobTest {

    /** The context of one run, as the scheduler gives it. */
    private static <T> T unused(Class<T> type) {
        return type.cast(
                Proxy.newProxyInstance(ExpiryAlertJobTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                }));
    }

    private static ExpiryAlertJob job(Map<String, Object> cfg, Map<String, String> env) {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
        UnitOfWork uow = unused(UnitOfWork.class);
        return new ExpiryAlertJob(
                AlertSettingsTest.config(cfg),
                EnvOverrides.of(env),
                new Fakes.Accesses(clock).service(),
                new Fakes.Users().service(),
                new RecordingAuditTrail(uow),
                uow,
                unused(DataSource.class),
                clock);
    }

    @Test
    void isAClusterTaskThatCatchesUpOnTheConfiguredInterval() {
        ExpiryAlertJob job = job(Map.of("interval.minutes", 15), Map.of());

        assertThat(job.name()).isEqualTo("accesses.expiry-alerts");
        assertThat(job.defaultSchedule()).isEqualTo("0 0/15 * * * ?");
        assertThat(job.catchUp()).isTrue();
        assertThat(job.scope().name()).isEqualTo("CLUSTER");
        assertThat(job(Map.of(), Map.of()).defaultSchedule()).isEqualTo("0 0 * * * ?");
    }

    @Test
    void intervalsBecomeCronExpressions() {
        assertThat(ExpiryAlertJob.cron(1)).isEqualTo("0 * * * * ?");
        assertThat(ExpiryAlertJob.cron(7)).isEqualTo("0 0/6 * * * ?");
        assertThat(ExpiryAlertJob.cron(60)).isEqualTo("0 0 * * * ?");
        assertThat(ExpiryAlertJob.cron(180)).isEqualTo("0 0 0/3 * * ?");
        assertThat(ExpiryAlertJob.cron(300)).isEqualTo("0 0 0/4 * * ?");
        assertThat(ExpiryAlertJob.cron(1440)).isEqualTo("0 0 0 * * ?");
    }

    @Test
    void aDisabledRunDoesNothingAndSaysSo() {
        ExpiryAlertJob job = job(Map.of(), Map.of());
        TestTaskContext run = new TestTaskContext(ExpiryAlertJob.TASK_NAME, Instant.parse("2026-03-02T08:00:00Z"));

        job.run(run); // touches neither the database nor SMTP

        assertThat(run.summary()).startsWith("off");
    }

    @Test
    void anEnabledRunWithoutMailerSaysSo() {
        ExpiryAlertJob job = job(Map.of(), Map.of("KARYO_ACCESS_EXPIRY_ALERTS", "true"));
        TestTaskContext run = new TestTaskContext(ExpiryAlertJob.TASK_NAME, Instant.parse("2026-03-02T08:00:00Z"));

        job.run(run);

        assertThat(run.summary()).contains("no Mailer");
        job.deactivate();
        job.run(run);
        assertThat(run.summary()).startsWith("off");
    }

    @Test
    void aWrongConfigurationFailsTheActivation() {
        assertThatThrownBy(() -> job(Map.of("thresholds.days", "soon"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thresholds.days");
    }
}
