package org.karyo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {
    @Test
    void aSetVariableWinsAndABlankOneDoesNot() {
        EnvOverrides env = EnvOverrides.of(Map.of("KARYO_DB_URL", " jdbc:postgresql://db/k ", "KARYO_DB_USER", " "));
        assertThat(env.get("KARYO_DB_URL", "cfg")).isEqualTo("jdbc:postgresql://db/k");
        assertThat(env.get("KARYO_DB_USER", "cfg")).isEqualTo("cfg");
        assertThat(env.get("KARYO_DB_PASSWORD", null)).isNull();
        assertThat(env.isSet("KARYO_DB_USER")).isFalse();
    }

    @Test
    void aNonIntegerIsNamedInTheError() {
        EnvOverrides env = EnvOverrides.of(Map.of("KARYO_DB_POOL_SIZE", "ten"));
        assertThatThrownBy(() -> env.getInt("KARYO_DB_POOL_SIZE", 10)).hasMessageContaining("KARYO_DB_POOL_SIZE");
        assertThat(EnvOverrides.of(Map.of()).getInt("KARYO_DB_POOL_SIZE", 10)).isEqualTo(10);
    }
}
