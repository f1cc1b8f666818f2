package org.karyo.auth.oidc.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.karyo.api.EnvOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's effective configuration: the factory configuration with the environment's overrides applied and
 * every value checked. {@link #toString()} leaves the secret out.
 *
 * @param name the provider's name
 * @param issuer the issuer, exactly as in {@code iss}
 * @param extraIssuers other accepted {@code iss} values (same keys)
 * @param clientId the client id
 * @param clientSecret the client secret, or {@code null} for a public client
 * @param audience accepted {@code aud} values of bearer tokens
 * @param usernameClaim the claim holding the username
 * @param autoProvision whether unknown users are created at first login
 * @param jwksCacheMinutes how long signing keys are cached
 * @param scopes the scopes clients request
 * @param httpTimeoutSeconds connect and read timeout of calls to the provider
 */
record OidcSettings(
        String name,
        String issuer,
        Set<String> extraIssuers,
        String clientId,
        String clientSecret,
        Set<String> audience,
        String usernameClaim,
        boolean autoProvision,
        int jwksCacheMinutes,
        String scopes,
        int httpTimeoutSeconds) {

    static final String ENV_PREFIX = "KARYO_OIDC_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Logger LOG = LoggerFactory.getLogger(OidcSettings.class);

    OidcSettings {
        extraIssuers = Set.copyOf(extraIssuers);
        audience = Set.copyOf(audience);
    }

    /** Every {@code iss} value this provider answers for. */
    Set<String> acceptedIssuers() {
        Set<String> all = new LinkedHashSet<>();
        all.add(issuer);
        all.addAll(extraIssuers);
        return all;
    }

    int httpTimeoutMillis() {
        return httpTimeoutSeconds * 1000;
    }

    /**
     * Applies the environment ({@code KARYO_OIDC_<NAME>_<KEY>}) to the configuration and checks it.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong (and the variable it came from)
     */
    static OidcSettings resolve(OidcProviderComponent.Config config, EnvOverrides env) {
        String name = config.name() == null ? "" : config.name().trim();
        if (!NAME.matcher(name).matches()) {
            throw fail(name, "name", "must be 1 to 63 letters, digits, '-' or '_' (the name clients send at login)");
        }
        Keys keys = new Keys(name, env);
        String issuer = keys.get("issuer", config.issuer());
        checkUrl(name, keys, "issuer", issuer);
        String clientId = keys.get("client.id", config.client_id());
        if (clientId.isEmpty()) {
            throw fail(name, keys.label("client.id"), "is required");
        }
        String secret = keys.get("client.secret", config.client_secret());
        Set<String> audience = new LinkedHashSet<>(list(keys.get("audience", config.audience())));
        if (audience.isEmpty()) {
            audience.add(clientId);
        }
        Set<String> extraIssuers = new LinkedHashSet<>();
        for (String extra : list(keys.get("extra.issuers", config.extra_issuers()))) {
            checkUrl(name, keys, "extra.issuers", extra);
            extraIssuers.add(extra);
        }
        extraIssuers.remove(issuer);
        String usernameClaim = keys.get("username.claim", config.username_claim());
        if (usernameClaim.isEmpty()) {
            throw fail(name, keys.label("username.claim"), "is required");
        }
        boolean autoProvision = bool(name, keys, "auto.provision", config.auto_provision());
        int cacheMinutes = integer(name, keys, "jwks.cache.minutes", config.jwks_cache_minutes(), 1, 24 * 60);
        String scopes = keys.get("scopes", config.scopes());
        if (!List.of(scopes.split("\\s+")).contains("openid")) {
            throw fail(name, keys.label("scopes"), "must contain openid");
        }
        int timeout = integer(name, keys, "http.timeout.seconds", config.http_timeout_seconds(), 1, 300);
        return new OidcSettings(
                name,
                issuer,
                extraIssuers,
                clientId,
                secret.isEmpty() ? null : secret,
                audience,
                usernameClaim,
                autoProvision,
                cacheMinutes,
                scopes,
                timeout);
    }

    /** The variable that overrides {@code key} of provider {@code name}. */
    static String variable(String name, String key) {
        return ENV_PREFIX + upper(name) + "_" + upper(key);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        return "name=" + name + ", issuer=" + issuer + ", extra.issuers=" + extraIssuers + ", client.id=" + clientId
                + ", client.secret=" + (clientSecret == null ? "none (public client)" : "set") + ", audience="
                + audience + ", username.claim=" + usernameClaim + ", auto.provision=" + autoProvision
                + ", jwks.cache.minutes=" + jwksCacheMinutes + ", scopes=" + scopes + ", http.timeout.seconds="
                + httpTimeoutSeconds;
    }

    /** Reads keys with their environment overrides and remembers which ones came from the environment. */
    private record Keys(String name, EnvOverrides env) {
        String get(String key, String configured) {
            String value = env.get(variable(name, key), configured);
            return value == null ? "" : value.trim();
        }

        String label(String key) {
            String variable = variable(name, key);
            return env.isSet(variable) ? key + " (from " + variable + ")" : key;
        }
    }

    private static void checkUrl(String name, Keys keys, String key, String value) {
        if (value.isEmpty()) {
            throw fail(name, keys.label(key), "is required");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw fail(name, keys.label(key), "must be an http(s) URL, not '" + value + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw fail(name, keys.label(key), "must not have a query or fragment");
            }
        } catch (URISyntaxException e) {
            throw fail(name, keys.label(key), "is not a URL: " + e.getMessage());
        }
    }

    private static boolean bool(String name, Keys keys, String key, boolean configured) {
        String value = keys.get(key, Boolean.toString(configured)).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw fail(name, keys.label(key), "must be true or false, not '" + value + "'");
        };
    }

    private static int integer(String name, Keys keys, String key, int configured, int min, int max) {
        String value = keys.get(key, Integer.toString(configured));
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw fail(name, keys.label(key), "must be an integer, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw fail(name, keys.label(key), "must be between " + min + " and " + max + ", not " + n);
        }
        return n;
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

    private static IllegalArgumentException fail(String name, String key, String message) {
        String text =
                OidcProviderComponent.PID + (name.isEmpty() ? "" : " (" + name + ")") + ": " + key + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }
}
