package org.karyo.rest.internal;

import java.lang.annotation.Annotation;
import java.util.Map;
import org.karyo.api.EnvOverrides;

/** Builds {@link Settings} for tests, as ConfigAdmin would from {@code etc/org.karyo.rest.cfg}. */
final class TestSettings {
    private TestSettings() {}

    static Settings.Config config(String proxies, String origins, long maxBody) {
        return new Settings.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Settings.Config.class;
            }

            @Override
            public String trusted_proxies() {
                return proxies;
            }

            @Override
            public String cors_allowed_origins() {
                return origins;
            }

            @Override
            public int cors_max_age() {
                return 600;
            }

            @Override
            public long max_body_bytes() {
                return maxBody;
            }
        };
    }

    static Settings settings(String proxies, String origins, long maxBody) {
        return new Settings(config(proxies, origins, maxBody), EnvOverrides.of(Map.of()));
    }

    static Settings defaults() {
        return settings("", "", 1_048_576L);
    }
}
