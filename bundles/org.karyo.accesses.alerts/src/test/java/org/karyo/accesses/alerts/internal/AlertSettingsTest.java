package org.karyo.accesses.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

class AlertSettingsTest {

    /** A Config as SCR builds it: the given keys (underscores for dots), the annotation's defaults otherwise. */
    static ExpiryAlertJob.Config config(Map<String, Object> values) {
        return (ExpiryAlertJob.Config) Proxy.newProxyInstance(
                AlertSettingsTest.class.getClassLoader(),
                new Class<?>[] {ExpiryAlertJob.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    private static AlertSettings resolve(Map<String, Object> cfg, Map<String, String> env) {
        return AlertSettings.resolve(config(cfg), EnvOverrides.of(env));
    }

    @Test
    void defaultsAreOffHourly30And2Days() {
        AlertSettings s = resolve(Map.of(), Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.intervalMinutes()).isEqualTo(60);
        assertThat(s.thresholds()).containsExactly(2, 30);
        assertThat(s.horizonDays()).isEqualTo(30);
        assertThat(s.subject()).isEqualTo("Your Karyo accesses end within {{days}} days");
        assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void theEnvironmentWinsOverTheConfiguration() {
        AlertSettings s = resolve(
                Map.of("enabled", false, "interval.minutes", 5, "thresholds.days", "30,2"),
                Map.of(
                        "KARYO_ACCESS_EXPIRY_ALERTS", "true",
                        "KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES", "15",
                        "KARYO_ACCESS_EXPIRY_ALERTS_THRESHOLDS_DAYS", " 14, 60 ,1,14",
                        "KARYO_ACCESS_EXPIRY_ALERTS_SUBJECT", "Accès : {{days}} jours",
                        "KARYO_ACCESS_EXPIRY_ALERTS_TIME_ZONE", "Europe/Paris"));
        assertThat(s)
                .isEqualTo(new AlertSettings(
                        true, 15, List.of(1, 14, 60), "Accès : {{days}} jours", ZoneId.of("Europe/Paris")));
    }

    @Test
    void wrongValuesNameTheKeyAndTheVariable() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("KARYO_ACCESS_EXPIRY_ALERTS", "yes")))
                .hasMessageContaining("enabled (env KARYO_ACCESS_EXPIRY_ALERTS) must be true or false");
        assertThatThrownBy(() -> resolve(Map.of("interval.minutes", 0), Map.of()))
                .hasMessageContaining(
                        "interval.minutes (env KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES) must be between");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES", "often")))
                .hasMessageContaining("must be an integer");
        assertThatThrownBy(() -> resolve(Map.of("thresholds.days", "30,two"), Map.of()))
                .hasMessageContaining(
                        "thresholds.days (env KARYO_ACCESS_EXPIRY_ALERTS_THRESHOLDS_DAYS) must be a comma");
        assertThatThrownBy(() -> resolve(Map.of("thresholds.days", "0"), Map.of()))
                .hasMessageContaining("days must be between 1 and 366, not 0");
        assertThatThrownBy(() -> resolve(Map.of("thresholds.days", " , "), Map.of()))
                .hasMessageContaining("at least one number of days");
        assertThatThrownBy(() -> resolve(Map.of("subject", " "), Map.of()))
                .hasMessageContaining("subject (env KARYO_ACCESS_EXPIRY_ALERTS_SUBJECT) must not be empty");
        assertThatThrownBy(() -> resolve(Map.of("time.zone", "Mars/Olympus"), Map.of()))
                .hasMessageContaining("time.zone (env KARYO_ACCESS_EXPIRY_ALERTS_TIME_ZONE) is not a time zone id");
    }
}
