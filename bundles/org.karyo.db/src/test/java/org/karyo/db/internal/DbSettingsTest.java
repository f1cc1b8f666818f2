package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

class DbSettingsTest {

    /** A Config as SCR builds it: the given keys (underscores for dots), the annotation's defaults otherwise. */
    static DatabaseComponent.Config config(Map<String, Object> values) {
        return (DatabaseComponent.Config) Proxy.newProxyInstance(
                DbSettingsTest.class.getClassLoader(),
                new Class<?>[] {DatabaseComponent.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    return method.getDefaultValue();
                });
    }

    private static DbSettings resolve(Map<String, Object> cfg, Map<String, String> env) {
        return DbSettings.resolve(config(cfg), EnvOverrides.of(env), "/opt/karyo");
    }

    @Test
    void defaultsAreTheEmbeddedServerUnderKarafBase() {
        DbSettings s = resolve(Map.of(), Map.of());
        assertThat(s.embedded()).isTrue();
        assertThat(s.embeddedDir()).isEqualTo(Path.of("/opt/karyo/var/postgres"));
        assertThat(s.runtimeDir()).isEqualTo(Path.of("/opt/karyo/var/postgres-runtime"));
        assertThat(s.embeddedPort()).isEqualTo(15432);
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.connectTimeoutSeconds()).isEqualTo(10);
    }

    @Test
    void theEnvironmentWinsOverTheConfiguration() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("url", "jdbc:postgresql://cfg:5432/karyo");
        cfg.put("user", "cfguser");
        cfg.put("password", "cfgpass");
        cfg.put("pool.size", 3);
        cfg.put("embedded.port", 2000);
        cfg.put("embedded.dir", "/cfg/pg");
        Map<String, String> env = Map.of(
                "KARYO_DB_URL", "jdbc:postgresql://env:5432/karyo",
                "KARYO_DB_USER", "envuser",
                "KARYO_DB_PASSWORD", "envpass",
                "KARYO_DB_POOL_SIZE", "7",
                "KARYO_DB_EMBEDDED_PORT", "2001",
                "KARYO_DB_EMBEDDED_DIR", "/env/pg");
        DbSettings s = resolve(cfg, env);
        assertThat(s)
                .isEqualTo(new DbSettings(
                        "jdbc:postgresql://env:5432/karyo", "envuser", "envpass", 7, Path.of("/env/pg"), 2001, 10));
        assertThat(s.embedded()).isFalse();
    }

    @Test
    void theConfigurationIsUsedWhenNoVariableIsSet() {
        DbSettings s = resolve(Map.of("url", "jdbc:postgresql://db:5432/karyo", "pool.size", 4), Map.of());
        assertThat(s.url()).isEqualTo("jdbc:postgresql://db:5432/karyo");
        assertThat(s.poolSize()).isEqualTo(4);
    }

    @Test
    void aKarafBasePlaceholderIsResolved() {
        assertThat(resolve(Map.of("embedded.dir", "${karaf.base}/pgdata"), Map.of())
                        .embeddedDir())
                .isEqualTo(Path.of("/opt/karyo/pgdata"));
    }

    @Test
    void aWrongUrlIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> resolve(Map.of("url", "jdbc:mysql://db/karyo"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url (env KARYO_DB_URL)")
                .hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void wrongNumbersAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> resolve(Map.of("pool.size", 0), Map.of())).hasMessageContaining("pool.size");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("KARYO_DB_POOL_SIZE", "ten")))
                .hasMessageContaining("pool.size (env KARYO_DB_POOL_SIZE)")
                .hasMessageContaining("ten");
        assertThatThrownBy(() -> resolve(Map.of("embedded.port", 70000), Map.of()))
                .hasMessageContaining("embedded.port");
        assertThatThrownBy(() -> resolve(Map.of("connect.timeout.seconds", 0), Map.of()))
                .hasMessageContaining("connect.timeout.seconds");
        assertThatThrownBy(() -> resolve(Map.of("embedded.dir", "${unknown}/pg"), Map.of()))
                .hasMessageContaining("embedded.dir");
    }

    @Test
    void thePasswordNeverShows() {
        DbSettings s = resolve(
                Map.of("url", "jdbc:postgresql://db/karyo?user=u&password=inurl", "password", "secret"), Map.of());
        assertThat(s.toString()).doesNotContain("secret").doesNotContain("inurl");
        assertThat(s.safeUrl()).isEqualTo("jdbc:postgresql://db/karyo");
    }
}
