package org.karyo.mail.impl.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import org.karyo.api.EnvOverrides;

/**
 * The effective SMTP configuration: {@link MailComponent.Config} with the environment's overrides applied and every
 * value checked. Public (in a private package) so that other modules' tests can send through a real
 * {@link SmtpMailer}.
 *
 * @param host the SMTP server
 * @param port its port
 * @param username the SMTP AUTH user, or {@code null} for no authentication
 * @param password the SMTP AUTH password, or {@code null}
 * @param starttls whether the plain connection is upgraded to TLS
 * @param ssl whether the connection is TLS from the start (SMTPS, usually port 465); {@code starttls} is then moot
 * @param from the sender ({@code Karyo <noreply@example.org>})
 * @param timeoutMs connect, read and write timeout in milliseconds
 */
public record SmtpSettings(
        String host,
        int port,
        String username,
        String password,
        StartTls starttls,
        boolean ssl,
        String from,
        int timeoutMs) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String STARTTLS = "starttls";
    static final String SSL = "ssl";
    static final String FROM = "from";
    static final String TIMEOUT = "timeout.ms";

    static final String ENV_HOST = "KARYO_SMTP_HOST";
    static final String ENV_PORT = "KARYO_SMTP_PORT";
    static final String ENV_USERNAME = "KARYO_SMTP_USERNAME";
    static final String ENV_PASSWORD = "KARYO_SMTP_PASSWORD";
    static final String ENV_STARTTLS = "KARYO_SMTP_STARTTLS";
    static final String ENV_SSL = "KARYO_SMTP_SSL";
    static final String ENV_FROM = "KARYO_SMTP_FROM";
    static final String ENV_TIMEOUT = "KARYO_SMTP_TIMEOUT_MS";

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    /** Whether and how the connection is upgraded with STARTTLS. */
    public enum StartTls {
        /** Upgrade or fail: the server must offer STARTTLS. */
        REQUIRED,
        /** Upgrade when the server offers it, else send in clear. */
        OPTIONAL,
        /** Never upgrade. */
        OFF;

        static StartTls parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "required" -> REQUIRED;
                case "optional" -> OPTIONAL;
                case "off" -> OFF;
                default -> throw new IllegalArgumentException("must be required, optional or off, not '" + value + "'");
            };
        }
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(starttls, "starttls");
        Objects.requireNonNull(from, "from");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be a TCP port (1-65535), not " + port);
        }
        if (timeoutMs < 100 || timeoutMs > 600_000) {
            throw new IllegalArgumentException("timeout.ms must be between 100 and 600000, not " + timeoutMs);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("a password needs a username");
        }
    }

    /** Whether the server is this machine (mail never leaves it, so TLS is not needed by default). */
    public boolean loopback() {
        return LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Whether SMTP AUTH is used. */
    public boolean authenticates() {
        return username != null;
    }

    /**
     * Applies the environment to the configured values and checks them.
     *
     * @return the settings, or empty when no host is configured (then no Mailer is registered)
     * @throws IllegalArgumentException naming the key (and its variable) whose value is wrong
     */
    static Optional<SmtpSettings> resolve(MailComponent.Config config, EnvOverrides env) {
        String host = blankToNull(env.get(ENV_HOST, config.host()));
        if (host == null) {
            return Optional.empty();
        }
        int port = intValue(env, ENV_PORT, PORT, config.port());
        String username = blankToNull(env.get(ENV_USERNAME, config.username()));
        String password = blankToNull(env.get(ENV_PASSWORD, config.password()));
        if (password != null && username == null) {
            throw invalid(PASSWORD, ENV_PASSWORD, "is set but " + USERNAME + " (env " + ENV_USERNAME + ") is not");
        }
        boolean loopback = LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
        String tls = blankToNull(env.get(ENV_STARTTLS, config.starttls()));
        StartTls starttls;
        try {
            starttls = tls == null ? (loopback ? StartTls.OFF : StartTls.REQUIRED) : StartTls.parse(tls);
        } catch (IllegalArgumentException e) {
            throw invalid(STARTTLS, ENV_STARTTLS, e.getMessage());
        }
        boolean ssl = booleanValue(env, ENV_SSL, SSL, config.ssl());
        String from = blankToNull(env.get(ENV_FROM, config.from()));
        if (from == null) {
            throw invalid(FROM, ENV_FROM, "is required when a host is set");
        }
        try {
            new InternetAddress(from, true).validate();
        } catch (AddressException e) {
            throw invalid(FROM, ENV_FROM, "is not a valid e-mail address");
        }
        int timeout = intValue(env, ENV_TIMEOUT, TIMEOUT, config.timeout_ms());
        try {
            return Optional.of(new SmtpSettings(host, port, username, password, starttls, ssl, from, timeout));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid SMTP configuration: " + e.getMessage(), e);
        }
    }

    private static int intValue(EnvOverrides env, String variable, String key, int configured) {
        try {
            return env.getInt(variable, configured);
        } catch (IllegalArgumentException e) {
            throw invalid(key, variable, "must be an integer, not '" + env.get(variable, "") + "'");
        }
    }

    private static boolean booleanValue(EnvOverrides env, String variable, String key, boolean configured) {
        String v = env.get(variable, null);
        if (v == null) {
            return configured;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, variable, "must be true or false, not '" + v + "'");
        };
    }

    private static IllegalArgumentException invalid(String key, String variable, String problem) {
        return new IllegalArgumentException(
                String.format(Locale.ROOT, "Invalid SMTP configuration: %s (env %s) %s", key, variable, problem));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", auth=" + authenticates() + ", starttls="
                + starttls.name().toLowerCase(Locale.ROOT) + ", ssl=" + ssl + ", timeoutMs=" + timeoutMs + "]";
    }
}
