package org.karyo.mail.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.mail.impl.internal.SmtpSettings.StartTls;

class SmtpSettingsTest {

    /** A Config as SCR builds it: the given keys (underscores for dots), the annotation's defaults otherwise. */
    static MailComponent.Config config(Map<String, Object> values) {
        return (MailComponent.Config) Proxy.newProxyInstance(
                SmtpSettingsTest.class.getClassLoader(),
                new Class<?>[] {MailComponent.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    private static Optional<SmtpSettings> resolve(Map<String, Object> cfg, Map<String, String> env) {
        return SmtpSettings.resolve(config(cfg), EnvOverrides.of(env));
    }

    @Test
    void noHostMeansNoSettings() {
        assertThat(resolve(Map.of(), Map.of())).isEmpty();
        assertThat(resolve(Map.of("host", "  ", "from", "a@b.test"), Map.of())).isEmpty();
    }

    @Test
    void defaults() {
        SmtpSettings s = resolve(Map.of("host", "smtp.example.org", "from", "noreply@example.org"), Map.of())
                .orElseThrow();
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.starttls()).isEqualTo(StartTls.REQUIRED);
        assertThat(s.ssl()).isFalse();
        assertThat(s.authenticates()).isFalse();
        assertThat(s.password()).isNull();
        assertThat(s.timeoutMs()).isEqualTo(10_000);
    }

    @Test
    void starttlsDefaultsToOffForTheLocalMachine() {
        for (String host : new String[] {"localhost", "127.0.0.1", "::1", "LOCALHOST"}) {
            assertThat(resolve(Map.of("host", host, "from", "a@b.test"), Map.of())
                            .orElseThrow()
                            .starttls())
                    .as(host)
                    .isEqualTo(StartTls.OFF);
        }
        assertThat(resolve(Map.of("host", "localhost", "from", "a@b.test", "starttls", "Required"), Map.of())
                        .orElseThrow()
                        .starttls())
                .isEqualTo(StartTls.REQUIRED);
    }

    @Test
    void theEnvironmentWinsOverTheConfiguration() {
        SmtpSettings s = resolve(
                        Map.of("host", "cfg.example.org", "from", "cfg@example.org", "port", 25),
                        Map.of(
                                "KARYO_SMTP_HOST", "env.example.org",
                                "KARYO_SMTP_PORT", "465",
                                "KARYO_SMTP_USERNAME", "karyo",
                                "KARYO_SMTP_PASSWORD", "from-env",
                                "KARYO_SMTP_STARTTLS", "optional",
                                "KARYO_SMTP_SSL", "true",
                                "KARYO_SMTP_FROM", "Karyo <env@example.org>",
                                "KARYO_SMTP_TIMEOUT_MS", "2500"))
                .orElseThrow();
        assertThat(s)
                .isEqualTo(new SmtpSettings(
                        "env.example.org",
                        465,
                        "karyo",
                        "from-env",
                        StartTls.OPTIONAL,
                        true,
                        "Karyo <env@example.org>",
                        2500));
        assertThat(s.toString()).doesNotContain("from-env");
    }

    @Test
    void theEnvironmentAloneConfiguresSmtp() {
        assertThat(resolve(Map.of(), Map.of("KARYO_SMTP_HOST", "smtp.example.org", "KARYO_SMTP_FROM", "a@b.test")))
                .map(SmtpSettings::host)
                .contains("smtp.example.org");
    }

    @Test
    void wrongValuesNameTheKeyAndTheVariable() {
        assertThatThrownBy(() -> resolve(Map.of("host", "smtp.example.org"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from (env KARYO_SMTP_FROM) is required");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "not an address"), Map.of()))
                .hasMessageContaining("from (env KARYO_SMTP_FROM) is not a valid e-mail address");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "a@b.test", "starttls", "sometimes"), Map.of()))
                .hasMessageContaining("starttls (env KARYO_SMTP_STARTTLS) must be required, optional or off");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "a@b.test"), Map.of("KARYO_SMTP_PORT", "x")))
                .hasMessageContaining("port (env KARYO_SMTP_PORT) must be an integer");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "a@b.test", "port", 70000), Map.of()))
                .hasMessageContaining("port must be a TCP port");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "a@b.test"), Map.of("KARYO_SMTP_SSL", "yes")))
                .hasMessageContaining("ssl (env KARYO_SMTP_SSL) must be true or false");
        assertThatThrownBy(() -> resolve(Map.of("host", "h", "from", "a@b.test", "timeout.ms", 10), Map.of()))
                .hasMessageContaining("timeout.ms must be between 100 and 600000");
        assertThatThrownBy(() -> resolve(
                        Map.of("host", "h", "from", "a@b.test"), Map.of("KARYO_SMTP_PASSWORD", "hunter2-secret")))
                .hasMessageContaining("password (env KARYO_SMTP_PASSWORD) is set but username")
                .hasMessageNotContaining("hunter2-secret");
    }
}
