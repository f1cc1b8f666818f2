package org.karyo.db.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The platform DataSource that every module uses (persistence units and plain JDBC). Outside a unit of work it hands
 * out pooled connections as they are; inside one ({@link UnitOfWorkImpl#required}) it hands out handles of the unit
 * of work's single connection, so that all modules write in the same PostgreSQL transaction.
 */
public final class TransactionalDataSource implements DataSource {

    private final DataSource pool;
    private final UnitOfWorkImpl unitOfWork;

    /** A transaction-aware view of {@code pool}, bound to {@code unitOfWork} (which must use the same pool). */
    public TransactionalDataSource(DataSource pool, UnitOfWorkImpl unitOfWork) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection bound = unitOfWork.boundConnection();
        return bound != null ? bound : pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (unitOfWork.active()) {
            throw new SQLFeatureNotSupportedException("Connections with other credentials cannot join a unit of work");
        }
        return pool.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "TransactionalDataSource[" + pool + "]";
    }
}
