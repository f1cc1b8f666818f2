package org.karyo.db.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL of this module's tests: KARYO_TEST_DB_URL's server when set, else one EmbeddedServer per JVM
 * (data in a temporary folder, deleted at exit). {@link #freshDatabase()} makes a new database per test class.
 */
final class PgTest {

    private static PGSimpleDataSource admin;

    private PgTest() {}

    static synchronized PGSimpleDataSource admin() {
        if (admin == null) {
            String url = System.getenv("KARYO_TEST_DB_URL");
            if (url != null && url.startsWith("jdbc:postgresql:")) {
                admin = new PGSimpleDataSource();
                admin.setURL(url);
            } else {
                admin = startEmbedded();
            }
        }
        return admin;
    }

    /** Where tests unpack the binaries once (shared by the test JVMs of this machine). */
    static Path runtimeDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "karyo-test-pg-runtime");
    }

    private static PGSimpleDataSource startEmbedded() {
        try {
            Path data = Files.createTempDirectory("karyo-test-pg");
            EmbeddedServer server = EmbeddedServer.start(
                    data,
                    runtimeDir(),
                    freePort(),
                    PgBinaries.on(PgTest.class.getClassLoader()),
                    Duration.ofSeconds(60));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteTree(data);
            }));
            return server.dataSource("postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static Fresh freshDatabase() {
        String name =
                "karyo_dbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("create database " + name);
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setURL(admin().getURL());
        target.setUser(admin().getUser());
        target.setPassword(admin().getPassword());
        target.setDatabaseName(name);
        return new Fresh(name, Pools.open(target, name, 4, 5));
    }

    static void admin(String sql) {
        try (Connection c = admin().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A database made for one test class; close() drops it. */
    record Fresh(String name, HikariDataSource pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.close();
            admin("drop database if exists " + name + " with (force)");
        }
    }
}
