package org.karyo.auth.impl.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.karyo.api.EnvOverrides;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity module's configuration (PID {@value #PID}), validated at activation: a wrong value fails the component
 * (and everything that needs it) with a message naming the key. Every key {@code a.b.c} can be overridden by the
 * environment variable {@code KARYO_AUTH_A_B_C} ({@link #env(String)}).
 *
 * <p>Other components of the bundle read the module's settings from here, including keys this class does not know
 * ({@link #string(String, String)}), so that the bundle has one PID and one metatype.
 */
@Component(service = AuthSettings.class, configurationPid = AuthSettings.PID, immediate = true)
@Designate(ocd = AuthSettings.Config.class)
public class AuthSettings {
    public static final String PID = "org.karyo.auth";
    private static final Logger LOG = LoggerFactory.getLogger(AuthSettings.class);

    /** The identity module's settings. */
    @ObjectClassDefinition(
            name = "Karyo identity",
            description = "Login, tokens, passwords and back-off (karyo-auth). Every key a.b.c is overridden by the"
                    + " environment variable KARYO_AUTH_A_B_C.")
    public @interface Config {
        @AttributeDefinition(description = "The iss of Karyo access tokens. Env: KARYO_AUTH_ISSUER")
        String issuer() default "karyo";

        @AttributeDefinition(description = "The aud of Karyo access tokens. Env: KARYO_AUTH_AUDIENCE")
        String audience() default "karyo-api";

        @AttributeDefinition(
                description = "Access token lifetime in seconds (60..86400). Env: KARYO_AUTH_ACCESS_TOKEN_TTL_SECONDS")
        int access_token_ttl_seconds() default 900;

        @AttributeDefinition(
                description = "Refresh token lifetime in hours (1..8760). Env: KARYO_AUTH_REFRESH_TOKEN_TTL_HOURS")
        int refresh_token_ttl_hours() default 24;

        @AttributeDefinition(
                description = "A new signing key every so many days (1..3650), checked at start and hourly."
                        + " Env: KARYO_AUTH_SIGNING_KEY_ROTATION_DAYS")
        int signing_key_rotation_days() default 30;

        @AttributeDefinition(
                description = "RSA modulus of new signing keys: 2048, 3072 or 4096. Env: KARYO_AUTH_SIGNING_KEY_BITS")
        int signing_key_bits() default 3072;

        @AttributeDefinition(
                description = "Tolerated clock skew in seconds for exp/nbf/iat (0..300)."
                        + " Env: KARYO_AUTH_CLOCK_SKEW_SECONDS")
        int clock_skew_seconds() default 30;

        @AttributeDefinition(description = "Minimum password length (8..128). Env: KARYO_AUTH_PASSWORD_MIN_LENGTH")
        int password_min_length() default 12;

        @AttributeDefinition(
                description = "How many of the four character classes (lower, upper, digit, other) a password needs"
                        + " (0..4). Env: KARYO_AUTH_PASSWORD_MIN_CLASSES")
        int password_min_classes() default 3;

        @AttributeDefinition(
                description = "Refuse passwords from the bundled list of common passwords."
                        + " Env: KARYO_AUTH_PASSWORD_REJECT_COMMON")
        boolean password_reject_common() default true;

        @AttributeDefinition(
                description = "Refuse passwords that contain the username. Env: KARYO_AUTH_PASSWORD_REJECT_USERNAME")
        boolean password_reject_username() default true;

        @AttributeDefinition(description = "Argon2id memory in KiB (8192..1048576). Env: KARYO_AUTH_ARGON2_MEMORY_KIB")
        int argon2_memory_kib() default 19456;

        @AttributeDefinition(description = "Argon2id passes (1..10). Env: KARYO_AUTH_ARGON2_ITERATIONS")
        int argon2_iterations() default 2;

        @AttributeDefinition(description = "Argon2id lanes (1..16). Env: KARYO_AUTH_ARGON2_PARALLELISM")
        int argon2_parallelism() default 1;

        @AttributeDefinition(description = "Regular expression for usernames. Env: KARYO_AUTH_USERNAME_PATTERN")
        String username_pattern() default "^[A-Za-z0-9._-]{2,30}$";

        @AttributeDefinition(description = "Regular expression for e-mail addresses. Env: KARYO_AUTH_EMAIL_PATTERN")
        String email_pattern() default "^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$";

        @AttributeDefinition(
                description = "Failed logins per user that are not slowed down. Env: KARYO_AUTH_BACKOFF_USER_FREE")
        int backoff_user_free() default 5;

        @AttributeDefinition(
                description = "Failed logins per client address that are not slowed down."
                        + " Env: KARYO_AUTH_BACKOFF_IP_FREE")
        int backoff_ip_free() default 20;

        @AttributeDefinition(
                description = "First back-off delay in milliseconds; it doubles with every further failure."
                        + " Env: KARYO_AUTH_BACKOFF_BASE_MILLIS")
        int backoff_base_millis() default 1000;

        @AttributeDefinition(
                description = "Longest back-off delay in seconds (never a permanent lock-out)."
                        + " Env: KARYO_AUTH_BACKOFF_MAX_SECONDS")
        int backoff_max_seconds() default 900;

        @AttributeDefinition(
                description = "Minutes without failure after which a key's failure count starts again from zero."
                        + " Env: KARYO_AUTH_BACKOFF_RESET_MINUTES")
        int backoff_reset_minutes() default 60;

        @AttributeDefinition(
                description = "Comma-separated usernames of service accounts that maintenance phases do not apply to."
                        + " Env: KARYO_AUTH_SERVICE_MAINTENANCE_EXEMPT")
        String service_maintenance_exempt() default "";
    }

    private final Map<String, Object> properties;
    private final EnvOverrides env;

    private final String issuer;
    private final String audience;
    private final Duration accessTokenTtl;
    private final Duration refreshTokenTtl;
    private final Duration signingKeyRotation;
    private final int signingKeyBits;
    private final Duration clockSkew;
    private final int passwordMinLength;
    private final int passwordMinClasses;
    private final boolean passwordRejectCommon;
    private final boolean passwordRejectUsername;
    private final int argon2MemoryKib;
    private final int argon2Iterations;
    private final int argon2Parallelism;
    private final Pattern usernamePattern;
    private final Pattern emailPattern;
    private final int backoffUserFree;
    private final int backoffIpFree;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration backoffReset;
    private final Set<String> maintenanceExempt;

    @Activate
    public AuthSettings(Map<String, Object> properties) {
        this(properties, EnvOverrides.system());
        LOG.info(
                "Identity settings: issuer={}, audience={}, access.token.ttl={}s, refresh.token.ttl={}h,"
                        + " signing.key.rotation={}d, argon2 m={} t={} p={}",
                issuer,
                audience,
                accessTokenTtl.toSeconds(),
                refreshTokenTtl.toHours(),
                signingKeyRotation.toDays(),
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism);
    }

    /** Settings from configuration properties (dotted keys) and environment overrides (tests pass both). */
    public AuthSettings(Map<String, Object> properties, EnvOverrides env) {
        this.properties = properties == null ? Map.of() : new HashMap<>(properties);
        this.env = env;
        issuer = text("issuer", "karyo");
        audience = text("audience", "karyo-api");
        accessTokenTtl = Duration.ofSeconds(integer("access.token.ttl.seconds", 900, 60, 86_400));
        refreshTokenTtl = Duration.ofHours(integer("refresh.token.ttl.hours", 24, 1, 8760));
        signingKeyRotation = Duration.ofDays(integer("signing.key.rotation.days", 30, 1, 3650));
        signingKeyBits = integer("signing.key.bits", 3072, 2048, 4096);
        if (signingKeyBits != 2048 && signingKeyBits != 3072 && signingKeyBits != 4096) {
            throw fail("signing.key.bits", "must be 2048, 3072 or 4096, not " + signingKeyBits);
        }
        clockSkew = Duration.ofSeconds(integer("clock.skew.seconds", 30, 0, 300));
        passwordMinLength = integer("password.min.length", 12, 8, 128);
        passwordMinClasses = integer("password.min.classes", 3, 0, 4);
        passwordRejectCommon = bool("password.reject.common", true);
        passwordRejectUsername = bool("password.reject.username", true);
        argon2MemoryKib = integer("argon2.memory.kib", 19_456, 8192, 1_048_576);
        argon2Iterations = integer("argon2.iterations", 2, 1, 10);
        argon2Parallelism = integer("argon2.parallelism", 1, 1, 16);
        usernamePattern = pattern("username.pattern", "^[A-Za-z0-9._-]{2,30}$");
        emailPattern = pattern("email.pattern", "^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
        backoffUserFree = integer("backoff.user.free", 5, 0, 1000);
        backoffIpFree = integer("backoff.ip.free", 20, 0, 100_000);
        backoffBase = Duration.ofMillis(integer("backoff.base.millis", 1000, 1, 60_000));
        backoffMax = Duration.ofSeconds(integer("backoff.max.seconds", 900, 1, 86_400));
        backoffReset = Duration.ofMinutes(integer("backoff.reset.minutes", 60, 1, 10_080));
        maintenanceExempt = list(string("service.maintenance.exempt", ""));
    }

    /** Default settings without environment overrides (tests). */
    public static AuthSettings defaults() {
        return new AuthSettings(Map.of(), EnvOverrides.of(Map.of()));
    }

    /** The environment variable that overrides {@code key}: {@code KARYO_AUTH_} + the key in upper case, dots as _. */
    public static String env(String key) {
        return "KARYO_AUTH_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Any key of the module's PID, with its environment override ({@link #env(String)}); for settings that other
     * components of the bundle own.
     */
    public String string(String key, String dflt) {
        Object configured = properties.get(key);
        String value = configured == null ? dflt : configured.toString();
        return env.get(env(key), value);
    }

    /** {@link #string} as an int within [min, max]; a wrong value fails naming the key. */
    public int integer(String key, int dflt, int min, int max) {
        String raw = string(key, Integer.toString(dflt));
        int v;
        try {
            v = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw fail(key, "must be an integer, not '" + raw + "'");
        }
        if (v < min || v > max) {
            throw fail(key, "must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    /** {@link #string} as a boolean ({@code true} or {@code false}); a wrong value fails naming the key. */
    public boolean bool(String key, boolean dflt) {
        String raw = string(key, Boolean.toString(dflt)).trim().toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw fail(key, "must be true or false, not '" + raw + "'");
        };
    }

    private String text(String key, String dflt) {
        String v = string(key, dflt);
        if (v == null || v.isBlank()) {
            throw fail(key, "must not be blank");
        }
        return v.trim();
    }

    private Pattern pattern(String key, String dflt) {
        String v = text(key, dflt);
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw fail(key, "is not a valid regular expression: " + e.getDescription());
        }
    }

    private static Set<String> list(String raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            Arrays.stream(raw.split("[,\\s]+"))
                    .filter(s -> !s.isBlank())
                    .map(String::trim)
                    .forEach(out::add);
        }
        return Set.copyOf(out);
    }

    private IllegalArgumentException fail(String key, String message) {
        String text = PID + ": " + key + (env.isSet(env(key)) ? " (from " + env(key) + ")" : "") + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    public Duration refreshTokenTtl() {
        return refreshTokenTtl;
    }

    public Duration signingKeyRotation() {
        return signingKeyRotation;
    }

    public int signingKeyBits() {
        return signingKeyBits;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public int passwordMinLength() {
        return passwordMinLength;
    }

    public int passwordMinClasses() {
        return passwordMinClasses;
    }

    public boolean passwordRejectCommon() {
        return passwordRejectCommon;
    }

    public boolean passwordRejectUsername() {
        return passwordRejectUsername;
    }

    public int argon2MemoryKib() {
        return argon2MemoryKib;
    }

    public int argon2Iterations() {
        return argon2Iterations;
    }

    public int argon2Parallelism() {
        return argon2Parallelism;
    }

    public Pattern usernamePattern() {
        return usernamePattern;
    }

    public Pattern emailPattern() {
        return emailPattern;
    }

    public int backoffUserFree() {
        return backoffUserFree;
    }

    public int backoffIpFree() {
        return backoffIpFree;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    public Duration backoffReset() {
        return backoffReset;
    }

    /** Usernames of the service accounts that maintenance phases do not apply to. */
    public Set<String> maintenanceExempt() {
        return maintenanceExempt;
    }

    /** Whether maintenance phases do not apply to this user. */
    public boolean maintenanceExempt(String username) {
        return maintenanceExempt.contains(username);
    }
}
