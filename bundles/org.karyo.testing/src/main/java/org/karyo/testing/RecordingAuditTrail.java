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

    /** One recorded entry. */
    public record Entry(String actorId, String impersonatorId, AuditEvent event) {}

    private final UnitOfWork uow;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** A trail that follows the transactions of {@code uow} (may be {@code null}: every event is kept at once). */
    public RecordingAuditTrail(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void record(Caller caller, AuditEvent event) {
        Entry entry = new Entry(caller.id(), caller.impersonatedBy().orElse(null), event);
        if (uow != null && uow.active()) {
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

    /** Forgets every entry. */
    public void clear() {
        entries.clear();
    }
}
