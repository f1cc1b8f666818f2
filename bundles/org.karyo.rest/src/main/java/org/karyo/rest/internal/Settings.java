package org.karyo.rest.internal;

import java.util.ArrayList;
import java.util.List;
import org.karyo.api.EnvOverrides;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST core's configuration (PID {@value #PID}), validated at activation: a wrong value fails the component with a
 * message naming the key, and with it the whole {@code /api} application (fail closed).
 *
 * <p>Immediate on purpose: a delayed component keeps its service registered while its activation fails, and the
 * whiteboard would then serve the application without the extensions that depend on it. Activated immediately, a
 * wrong configuration unregisters it at once, so that the extensions and the application disappear, and the error is
 * logged when the configuration is read rather than at the first request.
 */
@Component(service = Settings.class, configurationPid = Settings.PID, immediate = true)
@Designate(ocd = Settings.Config.class)
public final class Settings {
    static final String PID = "org.karyo.rest";
    static final String ENV_TRUSTED_PROXIES = "KARYO_TRUSTED_PROXIES";
    static final String ENV_CORS_ORIGINS = "KARYO_CORS_ORIGINS";
    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    @ObjectClassDefinition(
            name = "Karyo REST",
            description = "The /api application: reverse proxy, CORS and request limits")
    public @interface Config {
        @AttributeDefinition(
                name = "Trusted proxies",
                description =
                        "Comma-separated IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-Proto/Host/"
                                + "Port/Prefix headers are honoured. Empty: none. Environment override: KARYO_TRUSTED_PROXIES")
        String trusted_proxies() default "";

        @AttributeDefinition(
                name = "CORS allowed origins",
                description =
                        "Comma-separated origins (https://app.example.org) allowed to call the API from a browser, "
                                + "or *. Empty: no CORS headers. Environment override: KARYO_CORS_ORIGINS")
        String cors_allowed_origins() default "";

        @AttributeDefinition(name = "CORS max age", description = "Seconds a browser may cache a preflight answer")
        int cors_max_age() default 600;

        @AttributeDefinition(
                name = "Maximum JSON body",
                description = "Largest JSON request body in bytes; larger ones get 413")
        long max_body_bytes() default 1_048_576L;
    }

    private final List<IpRange> trustedProxies;
    private final Cors cors;
    private final long maxBodyBytes;

    @Activate
    public Settings(Config config) {
        this(config, EnvOverrides.system());
    }

    Settings(Config config, EnvOverrides env) {
        String proxies = env.get(ENV_TRUSTED_PROXIES, config.trusted_proxies());
        String origins = env.get(ENV_CORS_ORIGINS, config.cors_allowed_origins());
        this.trustedProxies = parseProxies(proxies, env.isSet(ENV_TRUSTED_PROXIES));
        this.cors = parseCors(origins, config.cors_max_age(), env.isSet(ENV_CORS_ORIGINS));
        if (config.max_body_bytes() < 1) {
            throw fail("max.body.bytes", "must be a positive number of bytes, not " + config.max_body_bytes());
        }
        this.maxBodyBytes = config.max_body_bytes();
        LOG.info(
                "Karyo REST configured: trusted.proxies={}, cors.allowed.origins={}, cors.max.age={}, max.body.bytes={}",
                trustedProxies,
                cors.origins(),
                config.cors_max_age(),
                maxBodyBytes);
    }

    private static List<IpRange> parseProxies(String raw, boolean fromEnv) {
        List<IpRange> out = new ArrayList<>();
        for (String entry : list(raw)) {
            try {
                out.add(IpRange.parse(entry));
            } catch (IllegalArgumentException e) {
                throw fail("trusted.proxies" + (fromEnv ? " (from " + ENV_TRUSTED_PROXIES + ")" : ""), e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static Cors parseCors(String raw, int maxAge, boolean fromEnv) {
        if (maxAge < 0) {
            throw fail("cors.max.age", "must not be negative");
        }
        try {
            return Cors.parse(raw, maxAge);
        } catch (IllegalArgumentException e) {
            throw fail("cors.allowed.origins" + (fromEnv ? " (from " + ENV_CORS_ORIGINS + ")" : ""), e.getMessage());
        }
    }

    private static IllegalArgumentException fail(String key, String message) {
        String text = PID + ": " + key + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }

    /** Whether {@code peer} (the direct client's IP) is a trusted reverse proxy. */
    boolean trustsProxy(String peer) {
        for (IpRange r : trustedProxies) {
            if (r.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    Cors cors() {
        return cors;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Splits a comma (or whitespace) separated list, dropping blanks. */
    static List<String> list(String raw) {
        List<String> out = new ArrayList<>();
        if (raw != null) {
            for (String s : raw.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
