package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.audit.impl.internal.Fixtures.count;
import static org.karyo.audit.impl.internal.Fixtures.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.audit.AuditEvent;
import org.karyo.db.internal.Migrations;
import org.karyo.db.internal.Pools;
import org.karyo.db.internal.TransactionalDataSource;
import org.karyo.db.internal.UnitOfWorkImpl;
import org.karyo.testing.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What protects {@code audit_log} when the platform connects as an ordinary (non-superuser) role: the migration runs
 * as that role, as the platform would run it.
 */
class AuditPrivilegesTest {

    private static final String OWNER = "karyo_audit_owner";

    @TempDir
    Path dir;

    /**
     * Each test starts without the owner role, as a first installation does: from PostgreSQL 16 on, a CREATEROLE role
     * may grant only the roles it created (or holds with ADMIN OPTION), so one left by an earlier test (created by a
     * role since dropped) could not be used.
     */
    @BeforeEach
    void noOwnerRoleYet() {
        dropOwnerRole();
    }

    @AfterAll
    static void dropOwnerRole() {
        try (TestDatabase db = TestDatabase.create()) {
            sql(db.dataSource(), "DROP ROLE IF EXISTS " + OWNER);
        } catch (SQLException | RuntimeException e) {
            // it may still own objects in a database another test run keeps: then it stays
        }
    }

    @Test
    void aRoleThatMayCreateRolesHandsTheTableToANologinOwnerAndKeepsOnlySelectAndInsert() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                AppRole app = AppRole.create(db, true, true)) {
            app.migrate();
            app.migrate(); // a restart: nothing to apply, and the history validates

            assertThat(owner(db.dataSource())).isEqualTo(OWNER);
            assertThat(schemaOwner(db.dataSource())).isEqualTo(OWNER);
            assertThat(count(
                            db.dataSource(),
                            "SELECT count(*) FROM pg_roles WHERE rolname = '" + OWNER + "' AND NOT rolcanlogin"))
                    .isOne();
            assertThat(count(
                            db.dataSource(),
                            "SELECT CASE WHEN pg_has_role('" + app.name + "', '" + OWNER + "', 'USAGE') THEN 1 ELSE"
                                    + " 0 END"))
                    .as("the application role gave up its membership of the owner role")
                    .isZero();

            // the platform, connected as the application role, appends and verifies
            AuditComponent audit = app.component(dir);
            audit.record(Fixtures.caller("u-1", false, null, false), AuditEvent.success("test.x.create", "x", 1));
            audit.record(Fixtures.caller("u-1", false, null, false), AuditEvent.success("test.x.update", "x", 1));
            assertThat(audit.verify().ok()).isTrue();
            assertThat(audit.verify().entries()).isEqualTo(2);

            // but it may not change or remove the trail, nor switch the trigger off or replace its function
            for (String statement : List.of(
                    "UPDATE karyo_audit.audit_log SET object_id = 'y' WHERE seq = 1",
                    "DELETE FROM karyo_audit.audit_log WHERE seq = 2",
                    "TRUNCATE karyo_audit.audit_log",
                    "ALTER TABLE karyo_audit.audit_log DISABLE TRIGGER audit_log_no_update_delete",
                    "CREATE OR REPLACE FUNCTION karyo_audit.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql"
                            + " AS $$ BEGIN RETURN NEW; END; $$",
                    "SET ROLE " + OWNER,
                    "DROP TABLE karyo_audit.audit_log",
                    "ALTER SCHEMA karyo_audit RENAME TO gone")) {
                assertThatThrownBy(() -> sql(app.pool, statement))
                        .as(statement)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            // granting itself UPDATE back does nothing (PostgreSQL only warns: no privileges were granted)
            sql(app.pool, "GRANT UPDATE, DELETE ON karyo_audit.audit_log TO " + app.name);
            assertThatThrownBy(() -> sql(app.pool, "DELETE FROM karyo_audit.audit_log"))
                    .hasMessageContaining("permission denied");
            // and the trigger still stops the superuser
            assertThatThrownBy(() -> sql(db.dataSource(), "DELETE FROM karyo_audit.audit_log"))
                    .hasMessageContaining("append-only");
            assertThat(count(db.dataSource(), "SELECT count(*) FROM karyo_audit.audit_log"))
                    .isEqualTo(2);
            audit.deactivate();
        }
    }

    @Test
    void theSchemaIsHandedOverEvenWhenTheRoleDoesNotOwnTheDatabase() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                AppRole app = AppRole.create(db, true, false)) {
            app.migrate();

            assertThat(owner(db.dataSource())).isEqualTo(OWNER);
            assertThat(schemaOwner(db.dataSource())).isEqualTo(OWNER);
            AuditComponent audit = app.component(dir);
            audit.record(Fixtures.caller("u-1", false, null, false), AuditEvent.success("test.x.create", "x", 1));
            for (String statement : List.of("DELETE FROM karyo_audit.audit_log", "DROP TABLE karyo_audit.audit_log")) {
                assertThatThrownBy(() -> sql(app.pool, statement))
                        .as(statement)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            assertThat(audit.verify().ok()).isTrue();
            audit.deactivate();
        }
    }

    @Test
    void aRoleWithoutThatPowerRevokesUpdateDeleteAndTruncateFromItself() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                AppRole app = AppRole.create(db, false, true)) {
            app.migrate();

            assertThat(owner(db.dataSource())).isEqualTo(app.name);
            AuditComponent audit = app.component(dir);
            audit.record(Fixtures.caller("u-1", false, null, false), AuditEvent.success("test.x.create", "x", 1));
            assertThat(audit.verify().ok()).isTrue();
            for (String statement : List.of(
                    "UPDATE karyo_audit.audit_log SET object_id = 'y' WHERE seq = 1",
                    "DELETE FROM karyo_audit.audit_log WHERE seq = 1",
                    "TRUNCATE karyo_audit.audit_log")) {
                assertThatThrownBy(() -> sql(app.pool, statement))
                        .as(statement)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
            assertThat(count(db.dataSource(), "SELECT count(*) FROM karyo_audit.audit_log"))
                    .isOne();
            audit.deactivate();
        }
    }

    private static String owner(DataSource ds) throws SQLException {
        return text(
                ds, "SELECT tableowner FROM pg_tables WHERE schemaname = 'karyo_audit' AND tablename = 'audit_log'");
    }

    private static String schemaOwner(DataSource ds) throws SQLException {
        return text(ds, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'karyo_audit'");
    }

    private static String text(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A login role that may create schemas in the test database, like a platform's application role. */
    private static final class AppRole implements AutoCloseable {
        final String name;
        final TestDatabase db;
        final HikariDataSource pool;

        private AppRole(String name, TestDatabase db, HikariDataSource pool) {
            this.name = name;
            this.db = db;
            this.pool = pool;
        }

        static AppRole create(TestDatabase db, boolean createRole, boolean ownsDatabase) throws SQLException {
            String name =
                    "karyo_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String password = UUID.randomUUID().toString();
            sql(
                    db.dataSource(),
                    "CREATE ROLE " + name + " LOGIN " + (createRole ? "CREATEROLE" : "NOCREATEROLE") + " PASSWORD '"
                            + password + "'",
                    ownsDatabase
                            ? "ALTER DATABASE " + db.name() + " OWNER TO " + name
                            : "GRANT CREATE ON DATABASE " + db.name() + " TO " + name);
            PGSimpleDataSource target = new PGSimpleDataSource();
            try (Connection c = db.dataSource().getConnection()) {
                target.setURL(c.getMetaData().getURL());
            }
            target.setDatabaseName(db.name());
            target.setUser(name);
            target.setPassword(password);
            return new AppRole(name, db, Pools.open(target, name, 3, 10));
        }

        void migrate() {
            new Migrations(pool).migrate("audit", AuditComponent.class.getClassLoader(), "db/audit");
        }

        AuditComponent component(Path dir) {
            UnitOfWorkImpl uow = new UnitOfWorkImpl(pool);
            return new AuditComponent(
                    new TransactionalDataSource(pool, uow),
                    uow,
                    new AuditSettings(Duration.ofHours(1), dir.resolve("checkpoints.jsonl"), 100),
                    Fixtures.KEY,
                    new Fixtures.TickingClock(),
                    key -> null);
        }

        /** Takes the database back, drops what the role owns and the role. */
        @Override
        public void close() throws SQLException {
            pool.close();
            sql(
                    db.dataSource(),
                    "ALTER DATABASE " + db.name() + " OWNER TO CURRENT_USER",
                    "DROP OWNED BY " + name + " CASCADE",
                    "DROP ROLE " + name);
        }
    }
}
