package org.karyo.testing;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import org.apache.aries.jpa.template.EmConsumer;
import org.apache.aries.jpa.template.EmFunction;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;

/**
 * A {@link JpaTemplate} outside OSGi that behaves like Aries JPA's RESOURCE_LOCAL template: the outermost call on a
 * thread opens an EntityManager (closed when it returns) and begins its transaction; nested calls join; only
 * {@link TransactionType#Required} is supported. An exception from the callback rolls the transaction back and
 * propagates unchanged.
 */
final class ThreadBoundJpaTemplate implements JpaTemplate {

    private final EntityManagerFactory emf;
    private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

    ThreadBoundJpaTemplate(EntityManagerFactory emf) {
        this.emf = emf;
    }

    @Override
    public <R> R txExpr(TransactionType type, EmFunction<R> code) {
        if (type != TransactionType.Required) {
            throw new IllegalStateException("Only transaction type Required is supported with RESOURCE_LOCAL units");
        }
        EntityManager em = current.get();
        boolean ownsEm = em == null;
        if (ownsEm) {
            em = emf.createEntityManager();
            current.set(em);
        }
        try {
            EntityTransaction tx = em.getTransaction();
            boolean ownsTx = !tx.isActive();
            if (ownsTx) {
                tx.begin();
            }
            try {
                R result = code.apply(em);
                if (ownsTx) {
                    tx.commit();
                }
                return result;
            } catch (Throwable t) {
                if (ownsTx && tx.isActive()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException e) {
                        t.addSuppressed(e);
                    }
                }
                throw t;
            }
        } finally {
            if (ownsEm) {
                current.remove();
                em.close();
            }
        }
    }

    @Override
    public <R> R txExpr(EmFunction<R> code) {
        return txExpr(TransactionType.Required, code);
    }

    @Override
    public void tx(TransactionType type, EmConsumer code) {
        txExpr(type, em -> {
            code.accept(em);
            return null;
        });
    }

    @Override
    public void tx(EmConsumer code) {
        tx(TransactionType.Required, code);
    }
}
