package org.karyo.api.tx;

import java.sql.Connection;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One PostgreSQL transaction per write, across modules. Within {@link #required(Supplier)} every connection that any
 * module's persistence unit (or plain JDBC code) takes from the platform's DataSource is this transaction's
 * connection, so a write and the rows other modules append for it (an audit entry, a perimeter node) commit or roll
 * back together.
 */
@ProviderType
public interface UnitOfWork {

    /**
     * Runs {@code work} in the current transaction, or in a new one that commits when {@code work} returns and rolls
     * back when it throws.
     */
    <T> T required(Supplier<T> work);

    /** Like {@link #required(Supplier)} for work with no result. */
    default void run(Runnable work) {
        required(() -> {
            work.run();
            return null;
        });
    }

    /** Whether a transaction is active on this thread. */
    boolean active();

    /** The active transaction's connection; do not close or commit it. */
    Connection connection();

    /** Marks the active transaction so that it rolls back at its end. */
    void setRollbackOnly();

    /**
     * Runs {@code action} after the active transaction committed (object-store promotions and the like). It does not
     * run when the transaction rolls back. An exception it throws is logged, never propagated.
     */
    void afterCommit(Runnable action);
}
