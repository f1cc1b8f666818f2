package org.karyo.auth.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.util.Locale;
import java.util.regex.Pattern;
import org.karyo.api.EnvOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plug-in's effective configuration: {@code etc/org.karyo.auth.ldap.cfg} with the environment's overrides
 * ({@code KARYO_LDAP_<KEY>}) applied and every value checked. {@link #toString()} leaves the password out.
 *
 * @param host the directory's host
 * @param port its port
 * @param ssl whether the connection is LDAPS
 * @param bindDnPattern direct-bind mode: the user's DN with {@code {0}}; {@code null} in search mode
 * @param searchBase search mode: where to search; {@code null} in direct-bind mode
 * @param searchFilter search mode: the filter with {@code {0}}
 * @param serviceDn the DN to search as, or {@code null} (anonymous)
 * @param servicePassword its password, or {@code null}
 */
record LdapSettings(
        String name,
        int ranking,
        String url,
        String host,
        int port,
        boolean ssl,
        String bindDnPattern,
        String searchBase,
        String searchFilter,
        String serviceDn,
        String servicePassword,
        int connectTimeoutMs,
        int responseTimeoutMs,
        String firstnameAttribute,
        String lastnameAttribute,
        String emailAttribute) {

    static final String ENV_PREFIX = "KARYO_LDAP_";
    private static final String PLACEHOLDER = "{0}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Logger LOG = LoggerFactory.getLogger(LdapSettings.class);

    /** Whether users are found by a search (else their DN is built from the pattern). */
    boolean searchMode() {
        return searchBase != null;
    }

    /** Whether a service account is configured. */
    boolean hasServiceAccount() {
        return serviceDn != null;
    }

    /**
     * Applies the environment to the configuration and checks it.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong (and the variable it came from)
     */
    static LdapSettings resolve(LdapProviderComponent.Config config, EnvOverrides env) {
        Keys keys = new Keys(env);
        String name = keys.get("name", config.name());
        if (!NAME.matcher(name).matches()) {
            throw fail(keys.label("name"), "must be 1 to 63 letters, digits, '-' or '_'");
        }
        int ranking = keys.integer("service.ranking", config.service_ranking(), Integer.MIN_VALUE, Integer.MAX_VALUE);

        String url = keys.get("url", config.url());
        LDAPURL ldapUrl;
        try {
            ldapUrl = new LDAPURL(url);
        } catch (LDAPException e) {
            throw fail(keys.label("url"), "must be ldap://host[:port] or ldaps://host[:port], not '" + url + "'");
        }
        if (!ldapUrl.getScheme().equalsIgnoreCase("ldap")
                && !ldapUrl.getScheme().equalsIgnoreCase("ldaps")) {
            throw fail(keys.label("url"), "must start with ldap:// or ldaps://, not '" + url + "'");
        }
        if (!ldapUrl.hostProvided()) {
            throw fail(keys.label("url"), "must name the directory's host");
        }
        boolean ssl = ldapUrl.getScheme().equalsIgnoreCase("ldaps");

        String pattern = blankToNull(keys.get("bind.dn.pattern", config.bind_dn_pattern()));
        String base = blankToNull(keys.get("search.base", config.search_base()));
        String filter = keys.get("search.filter", config.search_filter());
        if ((pattern == null) == (base == null)) {
            throw fail(
                    keys.label("bind.dn.pattern") + " / " + keys.label("search.base"),
                    "set exactly one: bind.dn.pattern (direct bind) or search.base (search then bind)");
        }
        if (pattern != null) {
            if (!pattern.contains(PLACEHOLDER) || !DN.isValidDN(pattern.replace(PLACEHOLDER, "x"))) {
                throw fail(keys.label("bind.dn.pattern"), "must be a DN containing {0}, not '" + pattern + "'");
            }
        } else {
            if (!DN.isValidDN(base)) {
                throw fail(keys.label("search.base"), "is not a DN: '" + base + "'");
            }
            try {
                if (!filter.contains(PLACEHOLDER)) {
                    throw fail(keys.label("search.filter"), "must contain {0}");
                }
                Filter.create(filter.replace(PLACEHOLDER, "x"));
            } catch (LDAPException e) {
                throw fail(keys.label("search.filter"), "is not an LDAP filter: '" + filter + "'");
            }
        }
        String serviceDn = blankToNull(keys.get("service.dn", config.service_dn()));
        String servicePassword = blankToNull(keys.get("service.password", config.service_password()));
        if (serviceDn != null && !DN.isValidDN(serviceDn)) {
            throw fail(keys.label("service.dn"), "is not a DN");
        }
        if (serviceDn != null && servicePassword == null) {
            throw fail(keys.label("service.password"), "is required with service.dn (never an anonymous bind)");
        }
        int connectTimeout = keys.integer("connect.timeout.ms", config.connect_timeout_ms(), 100, 120_000);
        int responseTimeout = keys.integer("response.timeout.ms", config.response_timeout_ms(), 100, 120_000);
        return new LdapSettings(
                name,
                ranking,
                url,
                ldapUrl.getHost(),
                ldapUrl.getPort(),
                ssl,
                pattern,
                base,
                filter,
                serviceDn,
                servicePassword,
                connectTimeout,
                responseTimeout,
                attribute(keys, "firstname.attribute", config.firstname_attribute()),
                attribute(keys, "lastname.attribute", config.lastname_attribute()),
                attribute(keys, "email.attribute", config.email_attribute()));
    }

    /** The variable that overrides {@code key}. */
    static String variable(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        String mode = searchMode()
                ? "search.base=" + searchBase + ", search.filter=" + searchFilter
                : "bind.dn.pattern=" + bindDnPattern;
        return "name=" + name + ", service.ranking=" + ranking + ", url=" + url + ", " + mode + ", service.dn="
                + (serviceDn == null ? "none" : serviceDn) + ", service.password="
                + (servicePassword == null ? "none" : "set") + ", connect.timeout.ms=" + connectTimeoutMs
                + ", response.timeout.ms=" + responseTimeoutMs;
    }

    private static String attribute(Keys keys, String key, String configured) {
        String value = keys.get(key, configured);
        if (!value.matches("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+")) {
            throw fail(keys.label(key), "is not an attribute name: '" + value + "'");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static IllegalArgumentException fail(String key, String message) {
        String text = LdapProviderComponent.PID + ": " + key + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }

    /** Reads keys with their environment overrides and remembers which ones came from the environment. */
    private record Keys(EnvOverrides env) {
        String get(String key, String configured) {
            String value = env.get(variable(key), configured);
            return value == null ? "" : value.trim();
        }

        String label(String key) {
            return env.isSet(variable(key)) ? key + " (from " + variable(key) + ")" : key;
        }

        int integer(String key, int configured, int min, int max) {
            String value = get(key, Integer.toString(configured));
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw fail(label(key), "must be an integer, not '" + value + "'");
            }
            if (n < min || n > max) {
                throw fail(label(key), "must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        }
    }
}
