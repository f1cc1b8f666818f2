package org.karyo.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.karyo.api.tx.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's units of work: one PostgreSQL transaction per outermost {@link #required(Supplier)} on a thread.
 *
 * <p>The transaction takes one connection from the pool the first time anybody asks for one (through
 * {@link TransactionalDataSource#getConnection()} or {@link #connection()}), and every later request on this thread
 * gets a handle of that same connection (see {@link UnitOfWorkConnection}). The outermost {@code required} commits
 * it when the work returns, or rolls it back when the work throws or the unit was marked rollback-only, gives the
 * connection back to the pool and then runs the after-commit actions. A nested {@code required} joins; when it
 * throws, the whole unit becomes rollback-only.
 *
 * <p>The binding is per thread: work handed to other threads does not take part.
 */
public final class UnitOfWorkImpl implements UnitOfWork {

    private static final Logger LOG = LoggerFactory.getLogger(UnitOfWorkImpl.class);

    private final DataSource pool;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    /** Units of work over connections from {@code pool} (the raw pool, not a transaction-aware DataSource). */
    public UnitOfWorkImpl(DataSource pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public <T> T required(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Tx joined = current.get();
        if (joined != null) {
            try {
                return work.get();
            } catch (Throwable t) {
                joined.rollbackOnly = true;
                throw t;
            }
        }
        Tx tx = new Tx();
        current.set(tx);
        T result;
        try {
            result = work.get();
        } catch (Throwable t) {
            current.remove();
            tx.rollback(t);
            throw t;
        }
        current.remove();
        if (tx.rollbackOnly) {
            LOG.debug("Unit of work marked rollback-only: rolled back");
            tx.rollback(null);
            return result;
        }
        tx.commit();
        tx.runAfterCommit();
        return result;
    }

    @Override
    public boolean active() {
        return current.get() != null;
    }

    @Override
    public Connection connection() {
        Tx tx = require("connection()");
        try {
            return tx.handle();
        } catch (SQLException e) {
            throw new UnitOfWorkException("Could not take a database connection for the unit of work", e);
        }
    }

    @Override
    public void setRollbackOnly() {
        require("setRollbackOnly()").rollbackOnly = true;
    }

    @Override
    public void afterCommit(Runnable action) {
        Objects.requireNonNull(action, "action");
        require("afterCommit()").afterCommit.add(action);
    }

    /** A handle of this thread's unit-of-work connection, or {@code null} outside a unit of work. */
    Connection boundConnection() throws SQLException {
        Tx tx = current.get();
        return tx == null ? null : tx.handle();
    }

    private Tx require(String what) {
        Tx tx = current.get();
        if (tx == null) {
            throw new IllegalStateException(what + " needs an active unit of work (call it inside uow.required)");
        }
        return tx;
    }

    /** One transaction: its connection (taken lazily), its rollback-only mark and its after-commit actions. */
    final class Tx {
        private Connection connection;
        private volatile boolean rollbackOnly;
        private volatile boolean finished;
        private final List<Runnable> afterCommit = new ArrayList<>();

        Connection handle() throws SQLException {
            if (finished) {
                throw new SQLException("The unit of work has ended");
            }
            if (connection == null) {
                Connection c = pool.getConnection();
                try {
                    c.setAutoCommit(false);
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(c, e);
                    throw e;
                }
                connection = c;
            }
            return UnitOfWorkConnection.of(connection, this);
        }

        boolean finished() {
            return finished;
        }

        void markRollbackOnly() {
            rollbackOnly = true;
        }

        void commit() {
            finished = true;
            if (connection == null) {
                return;
            }
            Connection c = connection;
            connection = null;
            try {
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                closeQuietly(c, e);
                throw new UnitOfWorkException("The unit of work could not commit", e);
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("Could not return a committed connection to the pool", e);
            }
        }

        /** Rolls back; a failure is added to {@code cause} when there is one, else thrown. */
        void rollback(Throwable cause) {
            finished = true;
            if (connection == null) {
                return;
            }
            Connection c = connection;
            connection = null;
            SQLException failure = null;
            try {
                c.rollback();
            } catch (SQLException e) {
                failure = e;
            }
            closeQuietly(c, failure != null ? failure : cause);
            if (failure != null) {
                if (cause != null) {
                    cause.addSuppressed(failure);
                } else {
                    throw new UnitOfWorkException("The unit of work could not roll back", failure);
                }
            }
        }

        void runAfterCommit() {
            for (Runnable action : afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("An after-commit action failed (the transaction is committed)", e);
                }
            }
            afterCommit.clear();
        }

        private void closeQuietly(Connection c, Throwable cause) {
            try {
                c.close();
            } catch (SQLException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else {
                    LOG.warn("Could not return a connection to the pool", e);
                }
            }
        }
    }
}
