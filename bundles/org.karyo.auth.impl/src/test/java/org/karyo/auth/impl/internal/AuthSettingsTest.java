package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

class AuthSettingsTest {

    @Test
    void defaults() {
        AuthSettings s = AuthSettings.defaults();
        assertThat(s.accessTokenTtl()).isEqualTo(Duration.ofSeconds(900));
        assertThat(s.refreshTokenTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(s.signingKeyRotation()).isEqualTo(Duration.ofDays(30));
        assertThat(s.argon2MemoryKib()).isEqualTo(19456);
        assertThat(s.usernamePattern().pattern()).isEqualTo("^[A-Za-z0-9._-]{2,30}$");
        assertThat(s.backoffUserFree()).isEqualTo(5);
        assertThat(s.backoffIpFree()).isEqualTo(20);
        assertThat(s.backoffMax()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.maintenanceExempt()).isEmpty();
    }

    @Test
    void theEnvironmentOverridesEveryKey() {
        AuthSettings s = new AuthSettings(
                Map.of("access.token.ttl.seconds", "600", "service.maintenance.exempt", "a"),
                EnvOverrides.of(Map.of(
                        "KARYO_AUTH_ACCESS_TOKEN_TTL_SECONDS", "300",
                        "KARYO_AUTH_SERVICE_MAINTENANCE_EXEMPT", "etl, executor",
                        "KARYO_AUTH_ISSUER", "https://karyo.example.org")));
        assertThat(s.accessTokenTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.maintenanceExempt()).containsExactlyInAnyOrder("etl", "executor");
        assertThat(s.maintenanceExempt("etl")).isTrue();
        assertThat(s.issuer()).isEqualTo("https://karyo.example.org");
        assertThat(AuthSettings.env("backoff.ip.free")).isEqualTo("KARYO_AUTH_BACKOFF_IP_FREE");
        assertThat(s.string("mfa.whatever", "x")).isEqualTo("x");
    }

    @Test
    void wrongValuesFailNamingTheKey() {
        assertThatThrownBy(() -> new AuthSettings(Map.of("access.token.ttl.seconds", "ten"), EnvOverrides.of(Map.of())))
                .hasMessageContaining("access.token.ttl.seconds");
        assertThatThrownBy(() -> new AuthSettings(Map.of("signing.key.bits", "1024"), EnvOverrides.of(Map.of())))
                .hasMessageContaining("signing.key.bits");
        assertThatThrownBy(() -> new AuthSettings(Map.of("username.pattern", "(["), EnvOverrides.of(Map.of())))
                .hasMessageContaining("username.pattern");
        assertThatThrownBy(() -> new AuthSettings(
                        Map.of(), EnvOverrides.of(Map.of("KARYO_AUTH_PASSWORD_REJECT_COMMON", "maybe"))))
                .hasMessageContaining("password.reject.common")
                .hasMessageContaining("KARYO_AUTH_PASSWORD_REJECT_COMMON");
    }
}
