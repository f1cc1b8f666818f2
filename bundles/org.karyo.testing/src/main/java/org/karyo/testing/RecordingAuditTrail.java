package org.karyo.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;

/**
 * An audit trail for service tests that keeps what a real one would keep: an event recorded inside a unit of work
 * appears only once that unit commits (and never when it rolls back), like a row appended in the same transaction.
 */
public final class RecordingAuditTrail implements AuditTrail {

    /**
     * One recorded entry.
     *
     * @param actorId the caller's id
     * @param impersonatorId the administrator acting as the caller, or {@code null}
     * @param event the event
     * @param inUnitOfWork whether it was recorded inside a unit of work (so in the same transaction as the change)
     */
    public record Entry(String actorId, String impersonatorId, AuditEvent event, boolean inUnitOfWork) {}

    private final UnitOfWork uow;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** A trail that follows the transactions of {@code uow} (may be {@code null}: every event is kept at once). */
    public RecordingAuditTrail(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void record(Caller caller, AuditEvent event) {
        boolean inUnitOfWork = uow != null && uow.active();
        Entry entry = new Entry(caller.id(), caller.impersonatedBy().orElse(null), event, inUnitOfWork);
        if (inUnitOfWork) {
            uow.afterCommit(() -> entries.add(entry));
        } else {
            entries.add(entry);
        }
    }

    /** The committed entries, oldest first. */
    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The committed events' actions, oldest first. */
    public List<String> actions() {
        return entries.stream().map(e -> e.event().action()).toList();
    }

    /** The latest committed entry. */
    public Entry last() {
        if (entries.isEmpty()) {
            throw new AssertionError("nothing was audited");
        }
        return entries.get(entries.size() - 1);
    }

    /** The latest committed entry of {@code action}. */
    public Entry last(String action) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).event().action().equals(action)) {
                return entries.get(i);
            }
        }
        throw new AssertionError("no " + action + " was audited, only " + actions());
    }

    /** Forgets every entry. */
    public void clear() {
        entries.clear();
    }
}
