package org.karyo.db.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.karyo.api.tx.Database;
import org.karyo.api.tx.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Database} service: one round trip with a 2 second limit, plus the pool's counts. */
final class DatabaseInfo implements Database {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseInfo.class);
    static final long TIMEOUT_SECONDS = 2;

    private final HikariDataSource pool;
    private final boolean embedded;
    private final String configuredDatabase;
    private final ExecutorService executor;

    DatabaseInfo(HikariDataSource pool, boolean embedded, String configuredDatabase, ExecutorService executor) {
        this.pool = pool;
        this.embedded = embedded;
        this.configuredDatabase = configuredDatabase;
        this.executor = executor;
    }

    @Override
    public DatabaseStatus status() {
        String[] row = null;
        try {
            row = CompletableFuture.supplyAsync(this::query, executor).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.debug("The database did not answer within {} s", TIMEOUT_SECONDS);
        } catch (ExecutionException | RuntimeException e) {
            LOG.debug("The database check failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int active = 0;
        int idle = 0;
        HikariPoolMXBean mx = pool.isClosed() ? null : pool.getHikariPoolMXBean();
        if (mx != null) {
            active = mx.getActiveConnections();
            idle = mx.getIdleConnections();
        }
        boolean up = row != null;
        return new DatabaseStatus(
                up,
                embedded,
                up ? row[0] : null,
                up ? row[1] : configuredDatabase,
                active,
                idle,
                pool.getMaximumPoolSize());
    }

    private String[] query() {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout((int) TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery("select version(), current_database()")) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
