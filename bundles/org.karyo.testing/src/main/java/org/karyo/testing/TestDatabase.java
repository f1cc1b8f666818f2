package org.karyo.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.db.internal.Migrations;
import org.karyo.db.internal.Pools;
import org.karyo.db.internal.TransactionalDataSource;
import org.karyo.db.internal.UnitOfWorkImpl;

/**
 * A fresh PostgreSQL database for one test (class), with the platform's own persistence machinery around it.
 *
 * <p>The server is {@code KARYO_TEST_DB_URL}'s when that variable is set (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}; its user must be allowed to create databases),
 * else an embedded PostgreSQL started once per JVM. Each {@link #create()} makes a new database
 * {@code karyo_test_<random>}, which {@link #close()} drops.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.create()) {
 *     db.migrate("content", ContentServiceImpl.class, "db/content");
 *     JpaTemplate jpa = db.jpa("karyo-content");
 *     ContentService service = new ContentServiceImpl(jpa, db.unitOfWork(), ...);
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

    private final TestServer server;
    private final String name;
    private final HikariDataSource pool;
    private final UnitOfWorkImpl unitOfWork;
    private final TransactionalDataSource dataSource;
    private final List<EntityManagerFactory> factories = new ArrayList<>();
    private boolean closed;

    private TestDatabase(TestServer server, String name, HikariDataSource pool) {
        this.server = server;
        this.name = name;
        this.pool = pool;
        this.unitOfWork = new UnitOfWorkImpl(pool);
        this.dataSource = new TransactionalDataSource(pool, unitOfWork);
    }

    /** Creates a fresh, empty database on this JVM's test server. */
    public static TestDatabase create() {
        TestServer server = TestServer.get();
        String name =
                "karyo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin(server, "create database " + name + " encoding 'UTF8' template template0");
        try {
            HikariDataSource pool = Pools.open(server.dataSource(name), name, 5, 10);
            return new TestDatabase(server, name, pool);
        } catch (RuntimeException e) {
            admin(server, "drop database if exists " + name);
            throw e;
        }
    }

    /** The platform's transaction-aware DataSource over this database (what modules get inside Karaf). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The platform's unit of work, bound to {@link #dataSource()}. */
    public UnitOfWork unitOfWork() {
        return unitOfWork;
    }

    /**
     * The JDBC URL of this database, credentials included: for a process of its own that a test starts (a second node
     * of a multi-node test).
     */
    public String url() {
        return server.url(name);
    }

    /** The database's name ({@code karyo_test_...}). */
    public String name() {
        return name;
    }

    /**
     * Applies a module's migrations as the platform does: the {@code V<n>__*.sql} files of {@code folder} on
     * {@code anyClass}'s class path go to the schema {@code karyo_<module>}.
     *
     * @throws org.karyo.db.internal.MigrationException when a migration fails (its cause is Flyway's error)
     */
    public void migrate(String module, Class<?> anyClass, String folder) {
        new Migrations(pool).migrate(module, anyClass.getClassLoader(), folder);
    }

    /**
     * An EclipseLink persistence unit from the test class path's {@code META-INF/persistence.xml}, on
     * {@link #dataSource()} (whatever the unit's {@code non-jta-data-source} says), behind a {@link JpaTemplate} that
     * behaves like Aries JPA's RESOURCE_LOCAL template: one EntityManager per thread and outermost call,
     * {@code TransactionType.Required} only; an exception from the callback rolls back and propagates unchanged.
     */
    public JpaTemplate jpa(String unitName) {
        Map<String, Object> props = new HashMap<>();
        props.put("javax.persistence.nonJtaDataSource", dataSource);
        props.put("javax.persistence.transactionType", "RESOURCE_LOCAL");
        props.put("eclipselink.weaving", "false");
        props.put("eclipselink.target-database", "PostgreSQL");
        props.put("eclipselink.cache.shared.default", "false");
        props.put("eclipselink.logging.level", "WARNING");
        EntityManagerFactory emf = Persistence.createEntityManagerFactory(unitName, props);
        synchronized (factories) {
            factories.add(emf);
        }
        return new ThreadBoundJpaTemplate(emf);
    }

    /** Closes the persistence units and the pool and drops the database. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (factories) {
            for (EntityManagerFactory emf : factories) {
                if (emf.isOpen()) {
                    emf.close();
                }
            }
            factories.clear();
        }
        pool.close();
        admin(server, "drop database if exists " + name + " with (force)");
    }

    private static void admin(TestServer server, String sql) {
        try (Connection c = server.dataSource(null).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    String.format(Locale.ROOT, "Test database: '%s' failed: %s", sql, e.getMessage()), e);
        }
    }
}
