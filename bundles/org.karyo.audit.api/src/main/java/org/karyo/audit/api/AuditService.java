package org.karyo.audit.api;

import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reading and verifying the audit trail. Entries are written by modules through
 * {@link org.karyo.api.audit.AuditTrail}; nothing here changes them.
 */
@ProviderType
public interface AuditService {

    /** The right needed to read the audit trail. */
    String READ_RIGHT = "accesses.full_admin";

    /**
     * One page of the entries that match {@code query}.
     *
     * @param page paging and ordering; ordering fields from {@link AuditQuery#ORDERABLE}
     * @throws KaryoException {@code FORBIDDEN} when the caller lacks {@value #READ_RIGHT}; {@code INVALID} naming
     *     {@code limit} when the page is larger than the configured largest page, or a filter that is not acceptable
     */
    Page<AuditEntry> list(Caller caller, AuditQuery query, PageRequest page);

    /**
     * Walks the whole chain in order, recomputing each entry's hash and link, and checks every signed checkpoint
     * against it. Reads one consistent snapshot with constant memory.
     */
    VerifyReport verify();
}
