package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-module Flyway migrations against a real PostgreSQL. */
class MigrationsTest {

    private static PgTest.Fresh db;
    private static Migrations migrations;
    private final ClassLoader loader = MigrationsTest.class.getClassLoader();

    @BeforeAll
    static void setUp() {
        db = PgTest.freshDatabase();
        migrations = new Migrations(db.pool());
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void migratesAModuleIntoItsOwnSchemaWithItsOwnHistory() throws SQLException {
        Migrations.Result result = migrations.migrate("alpha", loader, "db/alpha");

        assertThat(result).isEqualTo(new Migrations.Result("alpha", "karyo_alpha", "2", 2));
        assertThat(query("select count(*) from information_schema.columns where table_schema = 'karyo_alpha' "
                        + "and table_name = 'item' and column_name = 'size'"))
                .isEqualTo("1");
        assertThat(query("select string_agg(version, ',' order by installed_rank) from karyo_alpha.schema_history "
                        + "where version is not null and success"))
                .isEqualTo("1,2");
        assertThat(query("select count(*) from information_schema.tables where table_schema = 'public'"))
                .isEqualTo("0");

        Migrations.Result again = migrations.migrate("alpha", loader, "classpath:db/alpha");
        assertThat(again).isEqualTo(new Migrations.Result("alpha", "karyo_alpha", "2", 0));
    }

    @Test
    void modulesDoNotShareHistory() throws SQLException {
        migrations.migrate("beta", loader, "db/beta");
        assertThat(query("select count(*) from karyo_beta.schema_history where version = '1'"))
                .isEqualTo("1");
        assertThat(query("select count(*) from information_schema.tables where table_schema = 'karyo_beta' "
                        + "and table_name = 'thing'"))
                .isEqualTo("1");
    }

    @Test
    void aFailingMigrationIsNamedWithoutTheSqlErrorAndEarlierOnesStay() throws SQLException {
        assertThatThrownBy(() -> migrations.migrate("broken", loader, "db/broken"))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.module()).isEqualTo("broken");
                    assertThat(e.detail()).isEqualTo("migration V2 (second fails) failed");
                    assertThat(e.detail()).doesNotContain("no_such_table");
                    assertThat(e.version()).as("V1 stays applied").isEqualTo("1");
                    assertThat(e.getCause()).hasMessageContaining("no_such_table");
                });
        assertThat(query("select count(*) from information_schema.tables where table_schema = 'karyo_broken' "
                        + "and table_name in ('first', 'second')"))
                .as("V1 kept, V2 rolled back")
                .isEqualTo("1");
    }

    @Test
    void anEditedAppliedMigrationFailsValidation(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("db/gamma"));
        Files.writeString(folder.resolve("V1__init.sql"), "create table g (id int);\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThat(migrations.migrate("gamma", cl, "db/gamma").version()).isEqualTo("1");
        }
        Files.writeString(folder.resolve("V1__init.sql"), "create table g (id bigint);\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> migrations.migrate("gamma", cl, "db/gamma"))
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.detail())
                            .startsWith("the applied migrations do not match the migration files"));
        }
    }

    @Test
    void aModuleWithoutMigrationFilesGetsAnEmptySchema() throws SQLException {
        Migrations.Result result = migrations.migrate("empty", loader, "db/empty");
        assertThat(result.version()).isNull();
        assertThat(result.applied()).isZero();
        assertThat(query("select count(*) from information_schema.schemata where schema_name = 'karyo_empty'"))
                .isEqualTo("1");
    }

    @Test
    void misnamedFilesAreRejected(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("db/delta"));
        Files.writeString(folder.resolve("V1_missing_underscore.sql"), "create table d (id int);\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> migrations.migrate("delta", cl, "db/delta"))
                    .isInstanceOf(MigrationException.class);
        }
    }

    @Test
    void unsafeNamesAreRefusedBeforeTouchingTheDatabase() {
        assertThatThrownBy(() -> migrations.migrate("Content; drop", loader, "db/alpha"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> migrations.migrate("ok", loader, "filesystem:/etc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> migrations.migrate("ok", loader, "db/../secrets"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> migrations.migrate("ok", loader, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = db.pool().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
