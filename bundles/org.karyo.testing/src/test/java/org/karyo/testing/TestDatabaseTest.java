package org.karyo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.db.internal.MigrationException;

/** TestDatabase against a real PostgreSQL: fresh databases, migrations, EclipseLink and JDBC in one unit of work. */
class TestDatabaseTest {

    private static TestDatabase db;
    private static JpaTemplate jpa;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
        db.migrate("testing", TestDatabaseTest.class, "db/testing");
        jpa = db.jpa("karyo-testing");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        execute("truncate karyo_testing.note, karyo_testing.audit");
    }

    @Test
    void eachCreateIsAFreshDatabaseThatCloseDrops() throws SQLException {
        String name;
        try (TestDatabase other = TestDatabase.create()) {
            name = other.name();
            assertThat(name).startsWith("karyo_test_").isNotEqualTo(db.name());
            assertThat(query(other.dataSource(), "select current_database()")).isEqualTo(name);
            assertThat(query(
                            other.dataSource(),
                            "select count(*) from information_schema.schemata where schema_name = 'karyo_testing'"))
                    .isEqualTo("0");
        }
        assertThat(query(db.dataSource(), "select count(*) from pg_database where datname = '" + name + "'"))
                .isEqualTo("0");
    }

    @Test
    void migrateAppliesTheModuleFolderToItsSchema() throws SQLException {
        assertThat(query(db.dataSource(), "select max(version) from karyo_testing.schema_history where success"))
                .isEqualTo("1");
        String rows = query(db.dataSource(), "select count(*) from karyo_testing.schema_history");
        // a second run finds nothing to do
        db.migrate("testing", TestDatabaseTest.class, "db/testing");
        assertThat(query(db.dataSource(), "select count(*) from karyo_testing.schema_history"))
                .isEqualTo(rows);
    }

    @Test
    void aFailingMigrationThrowsWithTheMigrationNamed() {
        try (TestDatabase other = TestDatabase.create()) {
            assertThatThrownBy(() -> other.migrate("broken", TestDatabaseTest.class, "db/broken"))
                    .isInstanceOf(MigrationException.class)
                    .satisfies(
                            e -> assertThat(((MigrationException) e).detail()).isEqualTo("migration V2 (bad) failed"));
        }
    }

    @Test
    void jpaPersistsAndReads() {
        Long id = jpa.txExpr(TransactionType.Required, em -> {
            NoteEntity n = new NoteEntity("hello");
            em.persist(n);
            em.flush();
            return n.id();
        });
        NoteEntity found = jpa.txExpr(TransactionType.Required, em -> em.find(NoteEntity.class, id));
        assertThat(found.body()).isEqualTo("hello");
        assertThat(found.version()).isEqualTo(1);
    }

    @Test
    void jpaRollsBackAndRethrowsTheCallbacksException() throws SQLException {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        assertThatThrownBy(() -> jpa.tx(TransactionType.Required, em -> {
                    em.persist(new NoteEntity("lost"));
                    em.flush();
                    throw boom;
                }))
                .isSameAs(boom);
        assertThat(count("note")).isZero();
    }

    @Test
    void jpaSupportsOnlyRequired() {
        assertThatThrownBy(() -> jpa.txExpr(TransactionType.RequiresNew, em -> 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void jpaAndJdbcInOneUnitOfWorkCommitTogether() throws SQLException {
        UnitOfWork uow = db.unitOfWork();
        uow.run(() -> {
            jpa.tx(TransactionType.Required, em -> em.persist(new NoteEntity("together")));
            audit("note created");
            // the JDBC side sees the JPA write: same transaction
            assertThat(countQuietly("note")).isEqualTo(1);
        });
        assertThat(count("note")).isEqualTo(1);
        assertThat(count("audit")).isEqualTo(1);
    }

    @Test
    void jpaAndJdbcInOneUnitOfWorkRollBackTogether() throws SQLException {
        UnitOfWork uow = db.unitOfWork();
        assertThatThrownBy(() -> uow.run(() -> {
                    jpa.tx(TransactionType.Required, em -> em.persist(new NoteEntity("doomed")));
                    audit("note created");
                    throw new IllegalStateException("later step failed");
                }))
                .hasMessage("later step failed");
        assertThat(count("note")).isZero();
        assertThat(count("audit")).isZero();
    }

    @Test
    void aFailedJpaWriteRollsBackTheJdbcWriteOfTheSameUnit() throws SQLException {
        jpa.tx(TransactionType.Required, em -> em.persist(new NoteEntity("taken")));
        UnitOfWork uow = db.unitOfWork();
        assertThatThrownBy(() -> uow.run(() -> {
                    audit("before the duplicate");
                    jpa.tx(TransactionType.Required, em -> em.persist(new NoteEntity("taken")));
                }))
                .isInstanceOf(PersistenceException.class);
        assertThat(count("audit")).isZero();
        assertThat(count("note")).isEqualTo(1);
    }

    private static void audit(String what) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("insert into karyo_testing.audit(what) values (?)")) {
            ps.setString(1, what);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long countQuietly(String table) {
        try {
            return count(table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(query(db.dataSource(), "select count(*) from karyo_testing." + table));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
