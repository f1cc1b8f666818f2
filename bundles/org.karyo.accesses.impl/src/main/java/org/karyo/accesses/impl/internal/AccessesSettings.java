package org.karyo.accesses.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.karyo.api.EnvOverrides;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access module's configuration (PID {@value #PID}), every key overridable from the environment, validated at
 * activation: a wrong value fails the component, naming the key, and with it every component of the module.
 */
@Component(service = AccessesSettings.class, configurationPid = AccessesSettings.PID, immediate = true)
@Designate(ocd = AccessesSettings.Config.class)
public final class AccessesSettings {
    static final String PID = "org.karyo.accesses";
    static final String ENV_VALIDITY = "KARYO_ACCESS_VALIDITY_DAYS";
    static final String ENV_EXPIRY_WINDOW = "KARYO_ACCESS_EXPIRY_WINDOW_DAYS";
    static final String ENV_CACHE_TTL = "KARYO_RIGHTS_CACHE_TTL_SECONDS";
    static final String ENV_ROOT_LOCAL_ID = "KARYO_ROOT_LOCAL_ID";
    static final String ENV_ROOT_NAME = "KARYO_ROOT_NAME";
    static final String ENV_ROOT_TYPE = "KARYO_ROOT_TYPE";
    static final String ENV_ADMIN = "KARYO_ADMIN_USERNAME";
    static final String ENV_CONSOLE = "KARYO_CONSOLE_IDENTITIES";
    static final String ENV_RECOUNT = "KARYO_COUNTERS_REFRESH_MINUTES";
    private static final Logger LOG = LoggerFactory.getLogger(AccessesSettings.class);

    @ObjectClassDefinition(
            name = "Karyo accesses",
            description = "Perimeters, roles and accesses: validity, rights cache, bootstrap and console identities")
    public @interface Config {
        @AttributeDefinition(
                name = "Default access validity (days)",
                description =
                        "End of a new access when none is given: start + this many days. Environment: " + ENV_VALIDITY,
                min = "1")
        int access_validity_days() default 365;

        @AttributeDefinition(
                name = "Expiry window (days)",
                description = "my-accesses?expiring=true lists accesses ending within this many days. Environment: "
                        + ENV_EXPIRY_WINDOW,
                min = "1")
        int access_expiry_window_days() default 30;

        @AttributeDefinition(
                name = "Rights cache TTL (seconds)",
                description = "A user's cached rights, and a cached page of the access list, are read again at the "
                        + "latest after this long (changes outside the module send no event; the module's own writes "
                        + "drop both at once). 0 caches neither. Environment: " + ENV_CACHE_TTL,
                min = "0")
        int rights_cache_ttl_seconds() default 5;

        @AttributeDefinition(
                name = "Root perimeter local id",
                description =
                        "local_id of the root node created when the tree is empty. Environment: " + ENV_ROOT_LOCAL_ID)
        String root_local__id() default "root";

        @AttributeDefinition(
                name = "Root perimeter name",
                description = "Name of the root node created when the tree is empty. Environment: " + ENV_ROOT_NAME)
        String root_name() default "Karyo";

        @AttributeDefinition(
                name = "Root perimeter type",
                description = "Type of the root node created when the tree is empty. Environment: " + ENV_ROOT_TYPE)
        String root_type() default "institution";

        @AttributeDefinition(
                name = "Bootstrap administrator",
                description = "Username granted a full-admin access on the root (100 years) when it exists and has "
                        + "none. Environment: " + ENV_ADMIN)
        String bootstrap_admin_username() default "admin";

        @AttributeDefinition(
                name = "Console identities",
                description = "Karaf console user = Karyo username pairs, comma-separated (karaf=admin,ops=opsuser). "
                        + "Empty: every console user acts as the bootstrap administrator. Environment: "
                        + ENV_CONSOLE)
        String console_users() default "";

        @AttributeDefinition(
                name = "User counters refresh (minutes)",
                description = "How often the per-perimeter user counters are recounted, so that accesses starting or "
                        + "ending with time are reflected (writes recount at once). 0: only on writes. Environment: "
                        + ENV_RECOUNT,
                min = "0")
        int counters_refresh_minutes() default 60;
    }

    private final int validityDays;
    private final int expiryWindowDays;
    private final Duration cacheTtl;
    private final String rootLocalId;
    private final String rootName;
    private final String rootType;
    private final String adminUsername;
    private final Map<String, String> consoleUsers;
    private final int recountMinutes;
    private final Clock clock;

    @Activate
    public AccessesSettings(Config config) {
        this(config, EnvOverrides.system(), Clock.systemUTC());
    }

    AccessesSettings(Config config, EnvOverrides env, Clock clock) {
        this.clock = clock;
        this.validityDays = positive("access.validity.days", env, ENV_VALIDITY, config.access_validity_days(), 1);
        this.expiryWindowDays =
                positive("access.expiry.window.days", env, ENV_EXPIRY_WINDOW, config.access_expiry_window_days(), 1);
        this.cacheTtl = Duration.ofSeconds(
                positive("rights.cache.ttl.seconds", env, ENV_CACHE_TTL, config.rights_cache_ttl_seconds(), 0));
        this.rootLocalId = text("root.local_id", env.get(ENV_ROOT_LOCAL_ID, config.root_local__id()));
        this.rootName = text("root.name", env.get(ENV_ROOT_NAME, config.root_name()));
        this.rootType = text("root.type", env.get(ENV_ROOT_TYPE, config.root_type()));
        this.adminUsername = text("bootstrap.admin.username", env.get(ENV_ADMIN, config.bootstrap_admin_username()));
        this.consoleUsers = parseConsoleUsers(env.get(ENV_CONSOLE, config.console_users()));
        this.recountMinutes =
                positive("counters.refresh.minutes", env, ENV_RECOUNT, config.counters_refresh_minutes(), 0);
        LOG.info(
                "Accesses configured: access.validity.days={}, access.expiry.window.days={}, "
                        + "rights.cache.ttl.seconds={}, root.local_id={}, root.type={}, console.users={}, "
                        + "counters.refresh.minutes={}",
                validityDays,
                expiryWindowDays,
                cacheTtl.toSeconds(),
                rootLocalId,
                rootType,
                consoleUsers.isEmpty() ? "(every console user = bootstrap administrator)" : consoleUsers.keySet(),
                recountMinutes);
    }

    private static int positive(String key, EnvOverrides env, String variable, int configured, int min) {
        int v;
        try {
            v = env.getInt(variable, configured);
        } catch (IllegalArgumentException e) {
            throw fail(key, e.getMessage());
        }
        if (v < min) {
            throw fail(key, "must be at least " + min + ", not " + v);
        }
        return v;
    }

    private static String text(String key, String value) {
        if (value == null || value.isBlank()) {
            throw fail(key, "must not be blank");
        }
        return value.trim();
    }

    static Map<String, String> parseConsoleUsers(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return Map.of();
        }
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw fail("console.users", "expected console=karyo pairs separated by commas, not '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Map.copyOf(out);
    }

    private static IllegalArgumentException fail(String key, String message) {
        String text = PID + ": " + key + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }

    int validityDays() {
        return validityDays;
    }

    int expiryWindowDays() {
        return expiryWindowDays;
    }

    Duration cacheTtl() {
        return cacheTtl;
    }

    String rootLocalId() {
        return rootLocalId;
    }

    String rootName() {
        return rootName;
    }

    String rootType() {
        return rootType;
    }

    String adminUsername() {
        return adminUsername;
    }

    /** Console user → Karyo username; empty = every console user is the bootstrap administrator. */
    Map<String, String> consoleUsers() {
        return consoleUsers;
    }

    int recountMinutes() {
        return recountMinutes;
    }

    /** The module's clock (tests substitute one). */
    Clock clock() {
        return clock;
    }
}
