package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

class AuditSettingsTest {

    private static final EnvOverrides NO_ENV = EnvOverrides.of(Map.of());

    @Test
    void defaultsLiveUnderKarafBase() {
        AuditSettings s = AuditSettings.resolve(Fixtures.config(60, "", 1000), NO_ENV, "/opt/karyo");
        assertThat(s)
                .isEqualTo(new AuditSettings(
                        Duration.ofMinutes(60), Path.of("/opt/karyo/var/audit/checkpoints.jsonl"), 1000));
        assertThat(AuditSettings.varDir("/opt/karyo")).isEqualTo(Path.of("/opt/karyo/var"));
    }

    @Test
    void theEnvironmentWinsAndKarafBaseIsReplaced() {
        AuditSettings s = AuditSettings.resolve(
                Fixtures.config(60, "${karaf.base}/audit.jsonl", 1000),
                EnvOverrides.of(
                        Map.of("KARYO_AUDIT_CHECKPOINT_INTERVAL_MINUTES", "5", "KARYO_AUDIT_MAX_PAGE_SIZE", "50")),
                "/opt/karyo");
        assertThat(s).isEqualTo(new AuditSettings(Duration.ofMinutes(5), Path.of("/opt/karyo/audit.jsonl"), 50));
        assertThat(AuditSettings.resolve(
                                Fixtures.config(60, "", 1000),
                                EnvOverrides.of(Map.of("KARYO_AUDIT_CHECKPOINT_FILE", "/backup/cp.jsonl")),
                                "/opt/karyo")
                        .checkpointFile())
                .isEqualTo(Path.of("/backup/cp.jsonl"));
    }

    @Test
    void badValuesNameTheKeyAndTheVariable() {
        assertThatThrownBy(() -> AuditSettings.resolve(Fixtures.config(0, "", 1000), NO_ENV, "/k"))
                .hasMessageContaining("checkpoint.interval.minutes")
                .hasMessageContaining("KARYO_AUDIT_CHECKPOINT_INTERVAL_MINUTES");
        assertThatThrownBy(() -> AuditSettings.resolve(
                        Fixtures.config(60, "", 1000),
                        EnvOverrides.of(Map.of("KARYO_AUDIT_CHECKPOINT_INTERVAL_MINUTES", "hourly")),
                        "/k"))
                .hasMessageContaining("must be an integer");
        assertThatThrownBy(() -> AuditSettings.resolve(Fixtures.config(60, "", 10), NO_ENV, "/k"))
                .hasMessageContaining("max.page.size");
        assertThatThrownBy(() -> AuditSettings.resolve(Fixtures.config(60, "${other}/x", 1000), NO_ENV, "/k"))
                .hasMessageContaining("checkpoint.file")
                .hasMessageContaining("placeholder");
    }
}
