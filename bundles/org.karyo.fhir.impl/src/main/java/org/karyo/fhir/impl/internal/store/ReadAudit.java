package org.karyo.fhir.impl.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The audit of patient-data reads, one entry per request (type, id or search parameters, result count, never
 * content), appended off the request path in batches: flushed every {@code flushMillis} (at most a second) and at
 * shutdown. A crash loses at most that window.
 */
final class ReadAudit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadAudit.class);

    private record Entry(Caller caller, AuditEvent event) {}

    private final AuditTrail audit;
    private final UnitOfWork uow;
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService flusher;

    ReadAudit(AuditTrail audit, UnitOfWork uow, int flushMillis) {
        this.audit = audit;
        this.uow = uow;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "karyo-fhir-read-audit");
            t.setDaemon(true);
            return t;
        });
        int every = Math.max(50, Math.min(flushMillis, 1000));
        flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** Queues one read's entry; the request id of the current request goes with it. */
    void read(Caller caller, String action, String type, String id, String query, long count) {
        AuditEvent e = AuditEvent.success(action, "fhir." + (type == null ? "system" : type), id)
                .with("count", count);
        if (query != null && !query.isEmpty()) {
            e = e.with("query", query.length() > 1000 ? query.substring(0, 1000) : query);
        }
        String requestId = MDC.get("requestId");
        if (requestId != null) {
            e = e.with("request_id", requestId);
        }
        queue.add(new Entry(caller, e));
    }

    /** Appends every queued entry in one unit of work. */
    synchronized void flush() {
        if (queue.isEmpty()) {
            return;
        }
        List<Entry> batch = new ArrayList<>();
        for (Entry e = queue.poll(); e != null; e = queue.poll()) {
            batch.add(e);
        }
        try {
            uow.required(() -> {
                for (Entry e : batch) {
                    audit.record(e.caller(), e.event());
                }
                return null;
            });
        } catch (RuntimeException ex) {
            LOG.error("Could not append {} FHIR read audit entries; they are queued again", batch.size(), ex);
            queue.addAll(batch);
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
