package org.karyo.projects.impl.internal;

import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.OptimisticLockException;
import javax.persistence.PersistenceException;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.karyo.api.KaryoException;
import org.karyo.api.tx.UnitOfWork;

/**
 * The module's writes: one unit of work of the platform (so the perimeter node, the audit entry and the rows commit
 * or roll back together) around the {@code karyo-projects} persistence unit. A uniqueness violation that slipped past
 * the service's own checks (a concurrent write) becomes CONFLICT, a lost optimistic lock PRECONDITION_FAILED.
 */
final class Tx {

    private final JpaTemplate jpa;
    private final UnitOfWork uow;

    Tx(JpaTemplate jpa, UnitOfWork uow) {
        this.jpa = Objects.requireNonNull(jpa, "jpa");
        this.uow = Objects.requireNonNull(uow, "uow");
    }

    UnitOfWork uow() {
        return uow;
    }

    /**
     * Runs {@code work} in a unit of work with an entity manager; {@code what} and {@code id} name the object in
     * conflict messages.
     */
    <T> T write(String what, Object id, Function<EntityManager, T> work) {
        try {
            return uow.required(() -> jpa.txExpr(TransactionType.Required, work::apply));
        } catch (OptimisticLockException e) {
            throw KaryoException.stale(what, id);
        } catch (PersistenceException | Sql.DataAccessException e) {
            if (uniqueViolation(e)) {
                throw KaryoException.conflict(
                        "The " + what + " conflicts with one written at the same time; reload and try again");
            }
            throw e;
        }
    }

    /** Flushes, turning a stale version into PRECONDITION_FAILED at once. */
    static void flush(EntityManager em, String what, Object id) {
        try {
            em.flush();
        } catch (OptimisticLockException e) {
            throw KaryoException.stale(what, id);
        }
    }

    static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
