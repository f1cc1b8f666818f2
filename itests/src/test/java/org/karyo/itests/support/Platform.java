package org.karyo.itests.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final Process process;
    private final Api api;

    private Platform(Path home, int httpPort, String databaseUrl, Process process) {
        this.home = home;
        this.httpPort = httpPort;
        this.databaseUrl = databaseUrl;
        this.process = process;
        this.api = new Api(URI.create("http://127.0.0.1:" + httpPort + "/api"));
    }

    /** Copies the distribution to {@code target/platforms/<name>}, boots it and waits until {@code /api/health} is ready. */
    public static Platform boot(String name, Map<String, String> extraEnv) throws Exception {
        Path home = Path.of("target", "platforms", name + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        Distribution.copyTo(home);
        int http = Distribution.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KARYO_HTTP_PORT", Integer.toString(http));
        env.put("KARYO_HTTP_HOST", "127.0.0.1");
        env.put("KARYO_SSH_PORT", Integer.toString(Distribution.freePort()));
        env.put("KARYO_DB_EMBEDDED_PORT", Integer.toString(Distribution.freePort()));
        env.put("KARYO_PROFILE", "dev");
        String db = null;
        if (TestDatabases.serverUrl() != null) {
            db = TestDatabases.createDatabase("karyo_it");
            env.put("KARYO_DB_URL", db);
        }
        env.putAll(extraEnv);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("karaf.out").toFile());
        pb.environment().remove("KARYO_DB_URL");
        pb.environment().remove("KARYO_FEATURES");
        pb.environment().putAll(env);
        Platform platform = new Platform(home, http, db, pb.start());
        platform.awaitReady();
        return platform;
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
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException(
                "platform not ready after " + READY_TIMEOUT + " (last: " + last + "); see " + log());
    }

    public Api api() {
        return api;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path home() {
        return home;
    }

    /** The platform's log file. */
    public Path log() {
        return home.resolve("data/log/karaf.log");
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
        if (stopped && !Boolean.getBoolean("karyo.platform.keep")) {
            try (java.util.stream.Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
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
