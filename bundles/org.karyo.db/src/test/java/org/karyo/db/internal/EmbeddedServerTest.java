package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL: real binaries, data that survives restarts, recovery after a crashed JVM. */
class EmbeddedServerTest {

    @TempDir
    Path dir;

    private EmbeddedServer start(Path data) throws IOException {
        return EmbeddedServer.start(
                data,
                PgTest.runtimeDir(),
                PgTest.freePort(),
                PgBinaries.on(EmbeddedServerTest.class.getClassLoader()),
                Duration.ofSeconds(60));
    }

    @Test
    void dataSurvivesARestartAndAStopLeavesNoPidFile() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedServer server = start(data)) {
            server.ensureDatabase("karyo");
            server.ensureDatabase("karyo");
            execute(server, "karyo", "create table kept (v text); insert into kept values ('still here')");
        }
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        try (EmbeddedServer server = start(data)) {
            server.ensureDatabase("karyo");
            assertThat(query(server, "karyo", "select v from kept")).isEqualTo("still here");
            assertThat(query(server, "postgres", "show listen_addresses")).isEqualTo("localhost");
            assertThat(query(server, "postgres", "show synchronous_commit")).isEqualTo("on");
            assertThat(query(server, "postgres", "show fsync"))
                    .as("durable data")
                    .isEqualTo("on");
        }
    }

    @Test
    void connectionsNeedTheSuperuserPasswordKeptInTheDataFolder() throws Exception {
        Path data = dir.resolve("postgres");
        int port;
        try (EmbeddedServer server = start(data)) {
            port = server.port();
            assertThat(query(server, "postgres", "select 1")).isEqualTo("1");
            assertThatThrownBy(() -> withoutPassword(server).getConnection())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
        }
        Path file = data.resolve(EmbeddedServer.PASSWORD_FILE);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String password = Files.readString(file).trim();
        assertThat(password).hasSize(48);
        try (EmbeddedServer server = start(data)) {
            assertThat(server.dataSource("postgres").getPassword()).isEqualTo(password);
            assertThat(query(server, "postgres", "select 1")).isEqualTo("1");
            assertThatThrownBy(() -> withoutPassword(server).getConnection()).isInstanceOf(SQLException.class);
        }
        assertThat(port).isPositive();
    }

    private static org.postgresql.ds.PGSimpleDataSource withoutPassword(EmbeddedServer server) {
        org.postgresql.ds.PGSimpleDataSource ds = server.dataSource("postgres");
        ds.setPassword(null);
        return ds;
    }

    @Test
    void aPostgresLeftRunningByACrashedJvmIsStoppedFirst() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedServer server = start(data)) {
            execute(server, "postgres", "create table marker (v int); insert into marker values (7)");
        }
        long orphan = startOrphanPostmaster(data, PgTest.freePort());
        assertThat(ProcessHandle.of(orphan))
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        try (EmbeddedServer server = start(data)) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
            assertThat(query(server, "postgres", "select v from marker")).isEqualTo("7");
        }
    }

    @Test
    void aStalePidFileOfADeadProcessIsRemoved() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedServer server = start(data)) {
            execute(server, "postgres", "select 1");
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        writePidFile(data, gone.pid());

        try (EmbeddedServer server = start(data)) {
            assertThat(query(server, "postgres", "select 1")).isEqualTo("1");
        }
    }

    @Test
    void aPidFileNamingAnotherLiveProcessIsRemovedWithoutTouchingIt() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedServer server = start(data)) {
            execute(server, "postgres", "select 1");
        }
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            writePidFile(data, sleeper.pid());
            try (EmbeddedServer server = start(data)) {
                assertThat(query(server, "postgres", "select 1")).isEqualTo("1");
            }
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aForeignNonEmptyFolderIsRefused() throws IOException {
        Path data = Files.createDirectories(dir.resolve("notpostgres"));
        Files.writeString(data.resolve("important.txt"), "keep me");
        assertThatThrownBy(() -> start(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither empty nor a PostgreSQL data folder");
        assertThat(data.resolve("important.txt")).hasContent("keep me");
    }

    /** What a crashed JVM leaves behind: a postmaster started by pg_ctl that nobody will stop. */
    private static long startOrphanPostmaster(Path data, int port) throws Exception {
        Path pgCtl;
        try (Stream<Path> dirs = Files.list(PgTest.runtimeDir())) {
            pgCtl = dirs.filter(p -> p.getFileName().toString().startsWith("PG-"))
                    .map(p -> p.resolve("bin/pg_ctl"))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow();
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(
                pgCtl.toString(),
                "-D",
                data.toString(),
                "-o",
                "-p " + port + " -F",
                "-w",
                "-l",
                data.getParent().resolve("orphan.log").toString(),
                "start"));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(data.getParent().resolve("pg_ctl.out").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(data.getParent().resolve("pg_ctl.out")))
                .isZero();
        return Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    private static void writePidFile(Path data, long pid) throws IOException {
        Files.writeString(data.resolve("postmaster.pid"), pid + "\n" + data + "\n1700000000\n5432\n");
    }

    private static void execute(EmbeddedServer server, String database, String sql) throws SQLException {
        try (Connection c = server.dataSource(database).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(EmbeddedServer server, String database, String sql) throws SQLException {
        try (Connection c = server.dataSource(database).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
