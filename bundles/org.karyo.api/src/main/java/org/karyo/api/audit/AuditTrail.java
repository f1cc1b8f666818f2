package org.karyo.api.audit;

import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only, hash-chained audit trail. Modules record each write inside the write's own unit of work, so the
 * audit entry commits or rolls back with it; the entry also takes the request id and client address of the current
 * request, when there is one.
 */
@ProviderType
public interface AuditTrail {

    /**
     * Appends an entry for {@code event} done by {@code caller} (its id, and the impersonating administrator's id if
     * any). Joins the active unit of work; outside one, commits the entry on its own (for failed logins and refused
     * requests, which have no write to join).
     */
    void record(Caller caller, AuditEvent event);
}
