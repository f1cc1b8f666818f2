package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unit of work and the transaction-aware DataSource against a real PostgreSQL. Two "modules" write through the
 * same DataSource service, the way two bundles do inside Karaf: one takes connections itself, the other is handed
 * the DataSource like a persistence unit.
 */
class UnitOfWorkTest {

    private static PgTest.Fresh db;
    private static UnitOfWorkImpl uow;
    private static TransactionalDataSource dataSource;
    private static Module content;
    private static Module audit;

    @BeforeAll
    static void setUp() throws SQLException {
        db = PgTest.freshDatabase();
        uow = new UnitOfWorkImpl(db.pool());
        dataSource = new TransactionalDataSource(db.pool(), uow);
        try (Connection c = db.pool().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create table content (id serial primary key, title text not null)");
            s.execute("create table audit (id serial primary key, what text not null)");
            s.execute("create table parent (id int primary key)");
            s.execute("create table child (id int primary key, parent int references parent(id) deferrable "
                    + "initially deferred)");
        }
        content = new Module(dataSource, "content", "title");
        audit = new Module(dataSource, "audit", "what");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        try (Connection c = db.pool().getConnection();
                Statement s = c.createStatement()) {
            s.execute("truncate content, audit, child, parent");
        }
    }

    @AfterEach
    void noConnectionLeaks() {
        assertThat(db.pool().getHikariPoolMXBean().getActiveConnections())
                .as("connections in use")
                .isZero();
        assertThat(uow.active()).isFalse();
    }

    @Test
    void outsideAUnitOfWorkConnectionsArePlainPooledOnes() throws SQLException {
        try (Connection a = dataSource.getConnection();
                Connection b = dataSource.getConnection()) {
            assertThat(a.getAutoCommit()).isTrue();
            assertThat(backendPid(a)).isNotEqualTo(backendPid(b));
        }
        content.insert("plain");
        assertThat(committed("content")).isEqualTo(1);
    }

    @Test
    void twoModulesCommitTogetherOnOneConnection() {
        int[] pids = new int[2];
        String result = uow.required(() -> {
            pids[0] = content.insert("report");
            pids[1] = audit.insert("report created");
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(pids[0]).isEqualTo(pids[1]);
        assertThat(committed("content")).isEqualTo(1);
        assertThat(committed("audit")).isEqualTo(1);
    }

    @Test
    void twoModulesRollBackTogetherAndTheExceptionPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("audit refused");
        assertThatThrownBy(() -> uow.run(() -> {
                    content.insert("report");
                    audit.insert("report created");
                    throw boom;
                }))
                .isSameAs(boom);
        assertThat(committed("content")).isZero();
        assertThat(committed("audit")).isZero();
    }

    @Test
    void nothingIsVisibleToOthersBeforeTheCommit() {
        uow.run(() -> {
            content.insert("pending");
            assertThat(committed("content")).as("seen from another connection").isZero();
            assertThat(content.count()).as("seen inside the unit of work").isEqualTo(1);
        });
        assertThat(committed("content")).isEqualTo(1);
    }

    @Test
    void closeAutoCommitAndCommitOnAHandleDoNotEndTheTransaction() {
        assertThatThrownBy(() -> uow.run(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        c.setAutoCommit(true);
                        insert(c, "content", "title", "one");
                        c.commit();
                        assertThat(c.getAutoCommit()).isFalse();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    audit.insert("after the module closed its connection");
                    throw new IllegalArgumentException("fails later");
                }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(committed("content")).isZero();
        assertThat(committed("audit")).isZero();
    }

    @Test
    void aClosedHandleRefusesWork() {
        uow.run(() -> {
            try {
                Connection c = dataSource.getConnection();
                c.close();
                assertThat(c.isClosed()).isTrue();
                assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class);
                // the unit of work's connection itself is still open
                Connection again = dataSource.getConnection();
                assertThat(again.isClosed()).isFalse();
                again.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aHandleKeptAfterTheUnitOfWorkRefusesWork() {
        Connection leaked = uow.required(() -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(leaked::createStatement)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ended");
    }

    @Test
    void rollbackOnAHandleMarksTheUnitRollbackOnly() {
        List<String> afterCommit = new ArrayList<>();
        String result = uow.required(() -> {
            content.insert("first");
            uow.afterCommit(() -> afterCommit.add("ran"));
            try (Connection c = dataSource.getConnection()) {
                c.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            audit.insert("second");
            return "returned";
        });
        assertThat(result).isEqualTo("returned");
        assertThat(committed("content")).isZero();
        assertThat(committed("audit")).isZero();
        assertThat(afterCommit).isEmpty();
    }

    @Test
    void setRollbackOnlyRollsBackAtTheEnd() {
        uow.run(() -> {
            content.insert("discarded");
            uow.setRollbackOnly();
        });
        assertThat(committed("content")).isZero();
    }

    @Test
    void afterCommitRunsAfterTheCommitInOrder() {
        List<String> seen = new ArrayList<>();
        uow.run(() -> {
            content.insert("promoted");
            uow.afterCommit(() -> seen.add("first saw " + committed("content") + " committed row"));
            uow.afterCommit(() -> seen.add("second, active=" + uow.active()));
        });
        assertThat(seen).containsExactly("first saw 1 committed row", "second, active=false");
    }

    @Test
    void afterCommitDoesNotRunOnRollback() {
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> uow.run(() -> {
                    content.insert("x");
                    uow.afterCommit(() -> seen.add("ran"));
                    throw new IllegalStateException("no");
                }))
                .hasMessage("no");
        assertThat(seen).isEmpty();
    }

    @Test
    void aFailingAfterCommitActionIsNotPropagatedAndTheOthersStillRun() {
        List<String> seen = new ArrayList<>();
        String result = uow.required(() -> {
            content.insert("x");
            uow.afterCommit(() -> {
                throw new IllegalStateException("promotion failed");
            });
            uow.afterCommit(() -> seen.add("second"));
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(seen).containsExactly("second");
        assertThat(committed("content")).isEqualTo(1);
    }

    @Test
    void nestedRequiredJoinsTheOuterTransaction() {
        int[] pids = new int[2];
        uow.run(() -> {
            pids[0] = content.insert("outer");
            uow.run(() -> pids[1] = audit.insert("inner"));
            assertThat(committed("audit"))
                    .as("the inner unit did not commit on its own")
                    .isZero();
        });
        assertThat(pids[0]).isEqualTo(pids[1]);
        assertThat(committed("content")).isEqualTo(1);
        assertThat(committed("audit")).isEqualTo(1);
    }

    @Test
    void aFailedNestedUnitRollsBackTheWholeUnitEvenWhenCaught() {
        uow.run(() -> {
            content.insert("outer");
            try {
                uow.run(() -> {
                    audit.insert("inner");
                    throw new IllegalStateException("inner failed");
                });
            } catch (IllegalStateException expected) {
                // the caller goes on, but the unit is spoiled
            }
        });
        assertThat(committed("content")).isZero();
        assertThat(committed("audit")).isZero();
    }

    @Test
    void aUnitOfWorkWithoutDatabaseWorkTakesNoConnectionAndStillRunsAfterCommit() {
        List<String> seen = new ArrayList<>();
        uow.run(() -> {
            assertThat(db.pool().getHikariPoolMXBean().getActiveConnections()).isZero();
            uow.afterCommit(() -> seen.add("ran"));
        });
        assertThat(seen).containsExactly("ran");
    }

    @Test
    void connectionReturnsAHandleOfTheSameTransaction() {
        uow.run(() -> {
            int pid = content.insert("x");
            try (Connection c = uow.connection()) {
                assertThat(backendPid(c)).isEqualTo(pid);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aCommitFailureThrowsAndLeavesNothingBehind() {
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> uow.run(() -> {
                    try (Connection c = dataSource.getConnection();
                            Statement s = c.createStatement()) {
                        s.execute("insert into child values (1, 42)"); // checked at commit: no parent 42
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    audit.insert("child added");
                    uow.afterCommit(() -> seen.add("ran"));
                }))
                .isInstanceOf(UnitOfWorkException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(committed("child")).isZero();
        assertThat(committed("audit")).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    void unitOfWorkCallsOutsideAUnitOfWorkAreRefused() {
        assertThat(uow.active()).isFalse();
        assertThatThrownBy(uow::connection).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(uow::setRollbackOnly).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> uow.afterCommit(() -> {})).isInstanceOf(IllegalStateException.class);
        uow.run(() -> assertThat(uow.active()).isTrue());
    }

    @Test
    void otherCredentialsCannotJoinAUnitOfWork() {
        uow.run(() -> assertThatThrownBy(() -> dataSource.getConnection("someone", "secret"))
                .isInstanceOf(SQLFeatureNotSupportedException.class));
    }

    @Test
    void unitsOfWorkOnTwoThreadsAreSeparateTransactions() throws Exception {
        CountDownLatch bothWrote = new CountDownLatch(2);
        CompletableFuture<Integer> committing = CompletableFuture.supplyAsync(() -> uow.required(() -> {
            int pid = content.insert("thread one");
            await(bothWrote);
            return pid;
        }));
        CompletableFuture<Integer> failing = CompletableFuture.supplyAsync(() -> uow.required(() -> {
            int pid = content.insert("thread two");
            await(bothWrote);
            throw new IllegalStateException("thread two fails");
        }));
        int pid = committing.get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failing.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("thread two fails");
        assertThat(pid).isPositive();
        assertThat(committedTitles()).containsExactly("thread one");
    }

    private static void await(CountDownLatch latch) {
        latch.countDown();
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int backendPid(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(Connection c, String table, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + "(" + column + ") values (?)")) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
    }

    /** Rows committed, as seen from a connection outside any unit of work. */
    private static long committed(String table) {
        try (Connection c = db.pool().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> committedTitles() throws SQLException {
        List<String> titles = new ArrayList<>();
        try (Connection c = db.pool().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select title from content order by id")) {
            while (rs.next()) {
                titles.add(rs.getString(1));
            }
        }
        return titles;
    }

    /** A module that uses the platform DataSource it was given, taking and closing a connection per call. */
    private static final class Module {
        private final DataSource ds;
        private final String table;
        private final String column;

        Module(DataSource ds, String table, String column) {
            this.ds = ds;
            this.table = table;
            this.column = column;
        }

        /** Inserts a row; returns the backend pid of the connection it used. */
        int insert(String value) {
            try (Connection c = ds.getConnection()) {
                insert(c, table, column, value);
                return backendPid(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        long count() {
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void insert(Connection c, String table, String column, String value) throws SQLException {
            UnitOfWorkTest.insert(c, table, column, value);
        }
    }
}
