package org.karyo.itests.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One booted Karyo distribution: a private copy started with {@code bin/karaf server} on free ports, against a fresh
 * test database (or its embedded PostgreSQL), stopped with {@code bin/stop}.
 */
public final class Platform implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final Path home;
    private final int httpPort;
    private final String databaseUrl;
    private final Map<String, String> env;
    private Process process;
    private final Api api;

    private Platform(Path home, int httpPort, String databaseUrl, Map<String, String> env) throws IOException {
        this.home = home;
        this.httpPort = httpPort;
        this.databaseUrl = databaseUrl;
        this.env = Map.copyOf(env);
        this.process = start();
        this.api = new Api(URI.create("http://127.0.0.1:" + httpPort + "/api"));
    }

    /** The bootstrap administrator of every test platform. */
    public static final String ADMIN = "admin";

    /** Its password: a strong one, since test platforms run outside the dev profile. */
    public static final String ADMIN_PASSWORD = "Itest-Root-Passw0rd-7431";

    /** The console (ssh) user of every test platform. */
    public static final String CONSOLE_USER = "itest";

    /** Its password. */
    public static final String CONSOLE_PASSWORD = "Itest-Console-Passw0rd-7431";

    /** The lifetime of access tokens on test platforms. */
    public static final Duration ACCESS_TOKEN_TTL = Duration.ofSeconds(60);

    /**
     * The clock skew test platforms tolerate on a token's times (the default is 30 s): platform and tests share one
     * clock, and a test holding a genuinely expired token waits this much less.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private int embeddedPort;
    private volatile Api admin;
    private volatile long adminSince;

    /** Copies the distribution to {@code target/platforms/<name>}, boots it and waits until {@code /api/health} is ready. */
    public static Platform boot(String name, Map<String, String> extraEnv) throws Exception {
        return boot(name, extraEnv, Map.of());
    }

    /**
     * Like {@link #boot(String, Map)}, writing {@code etcFiles} (file name below {@code etc/} → content) into the copy
     * first. The platform runs outside the dev profile, with its own master and audit keys and a strong administrator
     * password ({@link #ADMIN} / {@link #ADMIN_PASSWORD}).
     */
    public static Platform boot(String name, Map<String, String> extraEnv, Map<String, String> etcFiles)
            throws Exception {
        Path home = Path.of("target", "platforms", name + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        Distribution.copyTo(home);
        for (Map.Entry<String, String> f : etcFiles.entrySet()) {
            Files.writeString(home.resolve("etc").resolve(f.getKey()), f.getValue());
        }
        int http = Distribution.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KARYO_HTTP_PORT", Integer.toString(http));
        env.put("KARYO_HTTP_HOST", "127.0.0.1");
        env.put("KARYO_SSH_PORT", Integer.toString(Distribution.freePort()));
        int embeddedPort = Distribution.freePort();
        env.put("KARYO_DB_EMBEDDED_PORT", Integer.toString(embeddedPort));
        env.put("KARYO_ADMIN_USERNAME", ADMIN);
        env.put("KARYO_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("KARYO_CONSOLE_USER", CONSOLE_USER);
        env.put("KARYO_CONSOLE_PASSWORD", CONSOLE_PASSWORD);
        env.put("KARYO_MASTER_KEY", randomKey());
        env.put("KARYO_AUDIT_HMAC_KEY", randomKey());
        // short-lived access tokens, so that the access-control tests can hold a genuinely expired one
        env.put("KARYO_AUTH_ACCESS_TOKEN_TTL_SECONDS", Long.toString(ACCESS_TOKEN_TTL.toSeconds()));
        env.put("KARYO_AUTH_CLOCK_SKEW_SECONDS", Long.toString(CLOCK_SKEW.toSeconds()));
        // Argon2id at its lowest accepted cost: these tests exercise logins and rights, not the hash's cost (the
        // identity module's own tests cover that), and the suite logs in and creates users hundreds of times
        env.put("KARYO_AUTH_ARGON2_MEMORY_KIB", "8192");
        env.put("KARYO_AUTH_ARGON2_ITERATIONS", "1");
        String db = null;
        if (TestDatabases.serverUrl() != null) {
            db = TestDatabases.createDatabase("karyo_it");
            env.put("KARYO_DB_URL", db);
        }
        env.putAll(extraEnv);
        Platform platform = new Platform(home, http, db, env);
        platform.embeddedPort = embeddedPort;
        platform.awaitReady();
        platform.firstConsoleLogin();
        return platform;
    }

    private Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("karaf.out").toFile()));
        pb.environment().remove("KARYO_DB_URL");
        pb.environment().remove("KARYO_FEATURES");
        pb.environment().remove("KARYO_PROFILE");
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Kills the platform's JVM with {@code kill -9} (no shutdown hooks, no clean stop), as a power cut or the OOM
     * killer would, and waits until it is gone.
     */
    public void crash() throws IOException, InterruptedException {
        killKaraf();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the platform again on the same copy, ports and database after {@link #crash()}, and waits until ready. */
    public void restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("the platform is still running");
        }
        admin = null;
        process = start();
        awaitReady();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && settled(deadline)) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        String detail = readinessDetail();
        close();
        throw new IllegalStateException("platform not ready after " + READY_TIMEOUT + " (last: " + last + "; detail: "
                + detail + "); see " + log());
    }

    /** The readiness checks' own words, read as the administrator, for the failure message of a boot that hung. */
    private String readinessDetail() {
        try {
            Api.Response r = api.login(ADMIN, ADMIN_PASSWORD).get("/health/detail");
            return r.status() + " " + r.body();
        } catch (RuntimeException e) {
            return "not readable: " + e.getMessage();
        }
    }

    /**
     * Whether access control answers an authenticated call three times in a row, half a second apart: the module set
     * is reconciled at start, and a feature installed then can briefly rewire the access module after health first
     * said ready.
     */
    private boolean settled(long deadline) throws InterruptedException {
        for (int ok = 0; ok < 3; ok++) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Api.Response r = api.login(ADMIN, ADMIN_PASSWORD).get("/accesses/perimeters?limit=1");
                if (r.status() != 200) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
            Thread.sleep(500);
        }
        return true;
    }

    /**
     * Logs in to the console once, alone: Karaf rewrites {@code etc/users.properties} with the hashed password on the
     * first login, and a second login that reads the file while it is being rewritten fails ("No more authentication
     * methods available"). Tests then log in concurrently against the settled file.
     */
    private void firstConsoleLogin() throws Exception {
        String out = console("echo console-ready\n");
        if (!out.contains("console-ready")) {
            close();
            throw new IllegalStateException("the console did not answer its first login: " + out);
        }
    }

    public Api api() {
        return api;
    }

    /** A client logged in as the bootstrap administrator (a fresh token every few minutes). */
    public Api admin() {
        Api a = admin;
        if (a == null
                || System.nanoTime() - adminSince
                        > ACCESS_TOKEN_TTL.dividedBy(2).toNanos()) {
            a = api.login(ADMIN, ADMIN_PASSWORD);
            admin = a;
            adminSince = System.nanoTime();
        }
        return a;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The admin console's SSH port ({@code bin/client -a}). */
    public int sshPort() {
        return Integer.parseInt(env.get("KARYO_SSH_PORT"));
    }

    public Path home() {
        return home;
    }

    /**
     * Runs console commands the README's way: on {@code bin/client}'s standard input, in batch mode, and returns what
     * the client printed.
     */
    public String console(String commands) throws IOException, InterruptedException {
        Process client = new ProcessBuilder(
                        home.resolve("bin/client").toString(),
                        "-u",
                        CONSOLE_USER,
                        "-p",
                        CONSOLE_PASSWORD,
                        "-a",
                        Integer.toString(sshPort()),
                        "-b")
                .redirectErrorStream(true)
                .start();
        try (var in = client.getOutputStream()) {
            in.write(commands.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client did not end within 60 s; it printed: " + out);
        }
        return out;
    }

    /** The platform's log file. */
    public Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /**
     * A superuser JDBC URL of the platform's own database, wherever it runs: the test server's database, or the
     * embedded server with the superuser password it generated (tests that tamper with rows behind the platform).
     */
    public String superuserJdbcUrl() throws IOException {
        if (databaseUrl != null) {
            return databaseUrl;
        }
        String password = Files.readString(home.resolve("var/postgres/karyo-superuser.password"))
                .trim();
        return "jdbc:postgresql://127.0.0.1:" + embeddedPort + "/karyo?user=postgres&password="
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The JDBC URL of the platform's database when it runs on the test server, else {@code null} (embedded). */
    public String databaseUrl() {
        return databaseUrl;
    }

    /**
     * Stops the platform, drops its test database and deletes its copy of the distribution, unless the stop failed or
     * {@code -Dkaryo.platform.keep=true} asks to keep it for a look at its logs.
     */
    @Override
    public void close() throws Exception {
        boolean stopped = false;
        try {
            new ProcessBuilder(home.resolve("bin/stop").toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(60, TimeUnit.SECONDS);
            stopped = process.waitFor(90, TimeUnit.SECONDS);
            if (!stopped) {
                killKaraf();
            }
        } finally {
            if (databaseUrl != null) {
                TestDatabases.dropDatabase(databaseUrl);
            }
        }
        keepLog();
        if (stopped && !Boolean.getBoolean("karyo.platform.keep")) {
            try (java.util.stream.Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Keeps the platform's log as {@code target/platform-logs/<copy>.log} (the copy itself is deleted), so that a
     * failure in CI can be read after the build.
     */
    private void keepLog() {
        try {
            Path logs = home.getParent().resolveSibling("platform-logs");
            Files.createDirectories(logs);
            if (Files.exists(log())) {
                Files.copy(
                        log(),
                        logs.resolve(home.getFileName() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("Could not keep the log of " + home + ": " + e);
        }
    }

    private void killKaraf() throws IOException, InterruptedException {
        Path pid = home.resolve("karaf.pid");
        if (Files.exists(pid)) {
            new ProcessBuilder(List.of("kill", "-9", Files.readString(pid).trim()))
                    .start()
                    .waitFor();
        }
        process.destroyForcibly();
    }
}
