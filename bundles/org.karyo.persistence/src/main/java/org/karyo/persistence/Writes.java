package org.karyo.persistence;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;

/**
 * The one way a module writes: {@link #write} runs the work in the platform's {@link UnitOfWork} (one PostgreSQL
 * transaction that the rows of other modules written for it — an audit entry, a perimeter node — share) around the
 * module's persistence unit, and turns the database's refusals into the errors clients understand:
 *
 * <ul>
 *   <li>a lost optimistic lock (a stale {@code @Version}, or a version that differs from the client's {@code If-Match})
 *       becomes {@link Kind#PRECONDITION_FAILED} (412);
 *   <li>a unique violation becomes {@link Kind#CONFLICT} (409), with the message registered for the constraint by
 *       {@link #onUnique} (naming the field), else a generic one; a foreign-key violation and a serialization failure
 *       become CONFLICT too;
 *   <li>anything else propagates (a {@link KaryoException} unchanged; a bug or an outage as a 500 with an incident
 *       id).
 * </ul>
 *
 * <p>Inside the work, the {@link Tx} gives the entity manager, locked loads that check the client's version,
 * statements of the same transaction (for set-based and compare-and-set changes) and the audit entry, which comes last.
 * Immutable and thread-safe: a module builds one in its store component.
 */
public final class Writes {

    private final JpaTemplate jpa;
    private final UnitOfWork uow;
    private final Sql sql;
    private final AuditTrail audit;
    private final Map<String, FieldError> uniques;

    private Writes(JpaTemplate jpa, UnitOfWork uow, Sql sql, AuditTrail audit, Map<String, FieldError> uniques) {
        this.jpa = jpa;
        this.uow = Objects.requireNonNull(uow, "uow");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.uniques = Map.copyOf(uniques);
    }

    /** Writes of a module with a persistence unit ({@code karyo-<module>}). */
    public static Writes jpa(JpaTemplate jpa, UnitOfWork uow, Sql sql, AuditTrail audit) {
        return new Writes(Objects.requireNonNull(jpa, "jpa"), uow, sql, audit, Map.of());
    }

    /** Writes of a module that has no entities (its writes are statements only). */
    public static Writes statements(UnitOfWork uow, Sql sql, AuditTrail audit) {
        return new Writes(null, uow, sql, audit, Map.of());
    }

    /**
     * The same writes, answering a violation of the unique constraint {@code constraint} with CONFLICT naming
     * {@code field}, with {@code message} (client-safe: never the value).
     */
    public Writes onUnique(String constraint, String field, String message) {
        Map<String, FieldError> u = new HashMap<>(uniques);
        u.put(Objects.requireNonNull(constraint, "constraint"), new FieldError(field, message));
        return new Writes(jpa, uow, sql, audit, u);
    }

    /** The platform's unit of work. */
    public UnitOfWork unitOfWork() {
        return uow;
    }

    /**
     * Runs {@code work} in a unit of work (joining the current one) and returns its result.
     *
     * @param what the kind of object written, in messages ({@code "content"}, {@code "role"})
     */
    public <T> T write(String what, Function<Tx, T> work) {
        Objects.requireNonNull(work, "work");
        Tx tx = new Tx(what);
        try {
            return uow.required(() -> {
                if (jpa == null) {
                    return work.apply(tx);
                }
                return jpa.txExpr(TransactionType.Required, em -> {
                    tx.em = em;
                    try {
                        T result = work.apply(tx);
                        tx.flush();
                        return result;
                    } finally {
                        tx.em = null;
                    }
                });
            });
        } catch (KaryoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(e, tx);
        }
    }

    /** Like {@link #write} for work with no result. */
    public void run(String what, Consumer<Tx> work) {
        write(what, tx -> {
            work.accept(tx);
            return null;
        });
    }

    private RuntimeException translate(RuntimeException e, Tx tx) {
        if (optimisticLock(e)) {
            return tx.stale();
        }
        SQLException s = sqlException(e);
        if (s == null || s.getSQLState() == null) {
            return e;
        }
        switch (s.getSQLState()) {
            case "23505" -> {
                FieldError f = uniques.get(constraint(s));
                return f != null
                        ? new KaryoException(Kind.CONFLICT, "conflict", f.message(), List.of(f), null, null)
                        : KaryoException.conflict("The " + tx.what
                                + " conflicts with one that already exists or was written at the same time");
            }
            case "23503" -> {
                return KaryoException.conflict(
                        "The " + tx.what + " refers to, or is referred to by, a record that does not allow it");
            }
            case "40001", "40P01" -> {
                return KaryoException.conflict(
                        "The " + tx.what + " was changed at the same time by someone else; try again");
            }
            default -> {
                return e;
            }
        }
    }

    private static boolean optimisticLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.persistence.OptimisticLockException
                    || t.getClass().getSimpleName().equals("OptimisticLockException")) {
                return true;
            }
        }
        return false;
    }

    private static SQLException sqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                SQLException next = s;
                // a batch failure carries the statement's own error as the next exception
                while (next.getNextException() != null && next.getSQLState() == null) {
                    next = next.getNextException();
                }
                return next;
            }
        }
        return null;
    }

    /** The name of the violated constraint, from the server's error fields (never from the localised message). */
    private static String constraint(SQLException s) {
        if (s instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
            return p.getServerErrorMessage().getConstraint();
        }
        return null;
    }

    /** One write's transaction, as the work sees it. */
    public final class Tx {
        private final String what;
        private EntityManager em;
        private Object lockedId;

        private Tx(String what) {
            this.what = Objects.requireNonNull(what, "what");
        }

        /** The module's entity manager, in this transaction. */
        public EntityManager em() {
            if (em == null) {
                throw new IllegalStateException("this module writes statements only: it has no persistence unit");
            }
            return em;
        }

        /**
         * The entity {@code id}, locked until the transaction ends, at the version the client expects.
         *
         * @param expectedVersion the client's {@code If-Match} version, or empty
         * @throws KaryoException NOT_FOUND when it does not exist (or is {@link SoftDeleted deleted}), or
         *     PRECONDITION_FAILED when its version is not {@code expectedVersion}
         */
        public <E extends Versioned> E lock(Class<E> type, Object id, OptionalLong expectedVersion) {
            E e = lock(type, id).orElseThrow(() -> KaryoException.notFound(what, id));
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != e.version()) {
                throw KaryoException.stale(what, id);
            }
            return e;
        }

        /** The entity {@code id}, locked until the transaction ends; empty when missing or deleted. */
        public <E> Optional<E> lock(Class<E> type, Object id) {
            lockedId = id;
            E e = em().find(type, id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null || (e instanceof SoftDeleted d && d.deleted())) {
                return Optional.empty();
            }
            return Optional.of(e);
        }

        /** Stores a new entity and flushes it, so that its generated id is known. */
        public <E> E persist(E entity) {
            em().persist(entity);
            flush();
            return entity;
        }

        /** Removes an entity. */
        public void remove(Object entity) {
            em().remove(entity);
        }

        /** Writes what the entity manager holds now; a stale version fails here, as PRECONDITION_FAILED. */
        public void flush() {
            if (em == null) {
                return;
            }
            try {
                em.flush();
            } catch (RuntimeException e) {
                if (optimisticLock(e)) {
                    throw stale();
                }
                throw e;
            }
        }

        /**
         * A statement in this transaction ({@code UPDATE}, {@code DELETE}, {@code INSERT} of child rows, an upsert, a
         * compare-and-set): the entities are flushed first, so it sees them.
         *
         * @return the number of rows it changed
         */
        public int update(String statement, Object... params) {
            flush();
            return sql.raw(c -> Sql.update(c, Statement.of(statement, params)));
        }

        /** An {@code INSERT ... RETURNING id} in this transaction; returns the id. */
        public long insert(String statement, Object... params) {
            flush();
            return sql.one(Statement.of(statement, params), rs -> rs.getLong(1))
                    .orElseThrow(() -> new IllegalStateException("INSERT returned no id"));
        }

        /** Reads in this transaction: they see what it wrote (the entities are flushed first). */
        public Sql sql() {
            flush();
            return sql;
        }

        /** Records the write's audit entry, in this transaction, after flushing everything it wrote. */
        public void audit(Caller caller, AuditEvent event) {
            flush();
            audit.record(caller, event);
        }

        /** Runs {@code action} once the transaction committed (object-store promotions); not after a rollback. */
        public void afterCommit(Runnable action) {
            uow.afterCommit(action);
        }

        KaryoException stale() {
            return lockedId != null
                    ? KaryoException.stale(what, lockedId)
                    : new KaryoException(
                            Kind.PRECONDITION_FAILED,
                            "stale-version",
                            "The " + what + " was changed by someone else; reload it and try again",
                            null,
                            null,
                            null);
        }
    }
}
