package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

/** Configuration: defaults, environment overrides and validation. */
class AccessesSettingsTest {

    private static AccessesSettings settings(Map<String, Object> config, Map<String, String> env) {
        return new AccessesSettings(Fakes.config(config), EnvOverrides.of(env), Clock.systemUTC());
    }

    @Test
    void defaults() {
        AccessesSettings s = settings(Map.of(), Map.of());
        assertThat(s.validityDays()).isEqualTo(365);
        assertThat(s.expiryWindowDays()).isEqualTo(30);
        assertThat(s.cacheTtl().toSeconds()).isEqualTo(5);
        assertThat(s.rootLocalId()).isEqualTo("root");
        assertThat(s.rootName()).isEqualTo("Karyo");
        assertThat(s.rootType()).isEqualTo("institution");
        assertThat(s.adminUsername()).isEqualTo("admin");
        assertThat(s.consoleUsers()).isEmpty();
        assertThat(s.recountMinutes()).isEqualTo(60);
    }

    @Test
    void theEnvironmentWins() {
        AccessesSettings s = settings(
                Map.of("access_validity_days", 100, "bootstrap_admin_username", "cfg"),
                Map.ofEntries(
                        Map.entry("KARYO_ACCESS_VALIDITY_DAYS", "7"),
                        Map.entry("KARYO_ACCESS_EXPIRY_WINDOW_DAYS", "2"),
                        Map.entry("KARYO_RIGHTS_CACHE_TTL_SECONDS", "0"),
                        Map.entry("KARYO_ROOT_LOCAL_ID", "aphp"),
                        Map.entry("KARYO_ROOT_NAME", "AP-HP"),
                        Map.entry("KARYO_ROOT_TYPE", "chu"),
                        Map.entry("KARYO_ADMIN_USERNAME", "boss"),
                        Map.entry("KARYO_CONSOLE_IDENTITIES", "karaf=boss"),
                        Map.entry("KARYO_COUNTERS_REFRESH_MINUTES", "0")));
        assertThat(s.validityDays()).isEqualTo(7);
        assertThat(s.expiryWindowDays()).isEqualTo(2);
        assertThat(s.cacheTtl()).isZero();
        assertThat(s.rootLocalId()).isEqualTo("aphp");
        assertThat(s.rootName()).isEqualTo("AP-HP");
        assertThat(s.rootType()).isEqualTo("chu");
        assertThat(s.adminUsername()).isEqualTo("boss");
        assertThat(s.consoleUsers()).isEqualTo(Map.of("karaf", "boss"));
        assertThat(s.recountMinutes()).isZero();
    }

    @Test
    void wrongValuesNameTheKey() {
        assertThatThrownBy(() -> settings(Map.of("access_validity_days", 0), Map.of()))
                .hasMessageContaining("access.validity.days");
        assertThatThrownBy(() -> settings(Map.of(), Map.of("KARYO_RIGHTS_CACHE_TTL_SECONDS", "soon")))
                .hasMessageContaining("rights.cache.ttl.seconds")
                .hasMessageContaining("KARYO_RIGHTS_CACHE_TTL_SECONDS");
        assertThatThrownBy(() -> settings(Map.of("console_users", "karaf"), Map.of()))
                .hasMessageContaining("console.users");
        assertThatThrownBy(() -> settings(Map.of("root_name", " "), Map.of())).hasMessageContaining("root.name");
    }
}
