package org.karyo.db.internal;

import java.nio.file.Path;
import java.util.Locale;
import org.karyo.api.EnvOverrides;

/**
 * The effective database configuration: the component's configuration with the environment's overrides applied and
 * every value checked.
 *
 * @param url the external server's JDBC URL, or {@code null} for the embedded PostgreSQL
 * @param user the user name, or {@code null} when the URL carries it
 * @param password the password, or {@code null}
 * @param poolSize the pool's maximum size
 * @param embeddedDir the embedded server's data folder
 * @param embeddedPort the embedded server's TCP port (localhost only)
 * @param connectTimeoutSeconds how long to wait for a connection, in seconds
 */
record DbSettings(
        String url,
        String user,
        String password,
        int poolSize,
        Path embeddedDir,
        int embeddedPort,
        int connectTimeoutSeconds) {

    static final String URL = "url";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String POOL_SIZE = "pool.size";
    static final String EMBEDDED_DIR = "embedded.dir";
    static final String EMBEDDED_PORT = "embedded.port";
    static final String CONNECT_TIMEOUT = "connect.timeout.seconds";

    static final String ENV_URL = "KARYO_DB_URL";
    static final String ENV_USER = "KARYO_DB_USER";
    static final String ENV_PASSWORD = "KARYO_DB_PASSWORD";
    static final String ENV_POOL_SIZE = "KARYO_DB_POOL_SIZE";
    static final String ENV_EMBEDDED_DIR = "KARYO_DB_EMBEDDED_DIR";
    static final String ENV_EMBEDDED_PORT = "KARYO_DB_EMBEDDED_PORT";

    private static final String KARAF_BASE = "${karaf.base}";

    /** Whether the platform runs its own PostgreSQL. */
    boolean embedded() {
        return url == null;
    }

    /** The folder the embedded server's binaries unpack to: a sibling of the data folder. */
    Path runtimeDir() {
        return embeddedDir.resolveSibling(embeddedDir.getFileName() + "-runtime");
    }

    /** The URL without its query string (which may carry a password), for logs. */
    String safeUrl() {
        if (url == null) {
            return "embedded";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * Applies the environment to the configured values and checks them.
     *
     * @param karafBase {@code karaf.base}, used for the default data folder; {@code null} outside Karaf
     * @throws IllegalArgumentException naming the key (and its variable) whose value is wrong
     */
    static DbSettings resolve(DatabaseComponent.Config config, EnvOverrides env, String karafBase) {
        String url = blankToNull(env.get(ENV_URL, config.url()));
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw invalid(URL, ENV_URL, "must start with jdbc:postgresql: (or be empty for the embedded PostgreSQL)");
        }
        String user = blankToNull(env.get(ENV_USER, config.user()));
        String password = blankToNull(env.get(ENV_PASSWORD, config.password()));
        int poolSize = intValue(env, ENV_POOL_SIZE, POOL_SIZE, config.pool_size());
        if (poolSize < 1 || poolSize > 500) {
            throw invalid(POOL_SIZE, ENV_POOL_SIZE, "must be between 1 and 500, not " + poolSize);
        }
        int port = intValue(env, ENV_EMBEDDED_PORT, EMBEDDED_PORT, config.embedded_port());
        if (port < 1 || port > 65535) {
            throw invalid(EMBEDDED_PORT, ENV_EMBEDDED_PORT, "must be a TCP port (1-65535), not " + port);
        }
        int timeout = config.connect_timeout_seconds();
        if (timeout < 1 || timeout > 600) {
            throw invalid(CONNECT_TIMEOUT, null, "must be between 1 and 600 seconds, not " + timeout);
        }
        Path dir = embeddedDir(blankToNull(env.get(ENV_EMBEDDED_DIR, config.embedded_dir())), karafBase);
        return new DbSettings(url, user, password, poolSize, dir, port, timeout);
    }

    private static Path embeddedDir(String configured, String karafBase) {
        String base = karafBase != null ? karafBase : System.getProperty("user.dir");
        String dir = configured == null ? base + "/var/postgres" : configured.replace(KARAF_BASE, base);
        if (dir.contains("${")) {
            throw invalid(EMBEDDED_DIR, ENV_EMBEDDED_DIR, "has an unresolved placeholder: " + dir);
        }
        Path path = Path.of(dir).toAbsolutePath().normalize();
        if (path.getParent() == null) {
            throw invalid(EMBEDDED_DIR, ENV_EMBEDDED_DIR, "must not be the root folder");
        }
        return path;
    }

    private static int intValue(EnvOverrides env, String variable, String key, int configured) {
        try {
            return env.getInt(variable, configured);
        } catch (IllegalArgumentException e) {
            throw invalid(key, variable, "must be an integer, not '" + env.get(variable, "") + "'");
        }
    }

    private static IllegalArgumentException invalid(String key, String variable, String problem) {
        String where = variable == null ? key : key + " (env " + variable + ")";
        return new IllegalArgumentException(
                String.format(Locale.ROOT, "Invalid database configuration: %s %s", where, problem));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DbSettings[url=" + safeUrl() + ", user=" + user + ", poolSize=" + poolSize + ", embeddedDir="
                + embeddedDir + ", embeddedPort=" + embeddedPort + ", connectTimeoutSeconds=" + connectTimeoutSeconds
                + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
