package org.karyo.db.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A handle of a unit of work's connection, given to whoever asks the DataSource for a connection inside the unit of
 * work (EclipseLink, plain JDBC code). The unit of work owns the transaction, so on a handle: {@code close()} closes
 * only the handle, {@code setAutoCommit(..)} and {@code commit()} do nothing, {@code getAutoCommit()} is
 * {@code false}, {@code rollback()} marks the unit of work rollback-only (a rollback to a savepoint is real),
 * {@code abort(..)} marks it rollback-only and closes the handle. Everything else goes to the real connection. A
 * closed handle, or any handle once its unit of work ended, refuses to work.
 */
final class UnitOfWorkConnection implements InvocationHandler {

    private final Connection real;
    private final UnitOfWorkImpl.Tx tx;
    private boolean closed;

    private UnitOfWorkConnection(Connection real, UnitOfWorkImpl.Tx tx) {
        this.real = real;
        this.tx = tx;
    }

    static Connection of(Connection real, UnitOfWorkImpl.Tx tx) {
        return (Connection) Proxy.newProxyInstance(
                UnitOfWorkConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new UnitOfWorkConnection(real, tx));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "equals":
                return arity == 1 && proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "UnitOfWorkConnection[" + (closed ? "closed" : "open") + "]";
            case "close":
                closed = true;
                return null;
            case "isClosed":
                return closed || tx.finished() || real.isClosed();
            case "isWrapperFor":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return true;
                }
                break;
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                break;
            case "setAutoCommit":
            case "commit":
                ensureOpen();
                return null;
            case "getAutoCommit":
                ensureOpen();
                return false;
            case "rollback":
                if (arity == 0) {
                    ensureOpen();
                    tx.markRollbackOnly();
                    return null;
                }
                break;
            case "abort":
                tx.markRollbackOnly();
                closed = true;
                return null;
            default:
                break;
        }
        ensureOpen();
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("This connection handle is closed");
        }
        if (tx.finished()) {
            throw new SQLException("The unit of work of this connection has ended");
        }
    }
}
