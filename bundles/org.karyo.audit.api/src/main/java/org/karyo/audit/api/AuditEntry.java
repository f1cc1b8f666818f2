package org.karyo.audit.api;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.json.Nullable;

/**
 * One stored audit entry: an {@link AuditEvent} with who did it, when, from where, and its place in the hash chain.
 * Holds opaque identifiers only.
 *
 * @param seq the entry's position in the chain: 1, 2, 3, ... without gaps
 * @param at when the entry was appended (microsecond precision)
 * @param actorId the caller's opaque id ({@code anonymous} for requests without credentials)
 * @param impersonatorId the id of the full administrator who acted as the caller, or {@code null}
 * @param serviceAccount whether the caller was a service account (an API token)
 * @param action what happened, {@code <module>.<object>.<verb>}
 * @param objectType the kind of object acted on, or {@code null}
 * @param objectId the object's opaque id, or {@code null}
 * @param outcome whether it succeeded
 * @param details further opaque facts, sorted by key
 * @param requestId the id of the HTTP request that caused it, or {@code null}
 * @param clientAddress the client's address, or {@code null}
 * @param prevHash the previous entry's hash, hex (64 zeros for the first entry)
 * @param hash this entry's SHA-256 hash, hex
 */
public record AuditEntry(
        long seq,
        Instant at,
        String actorId,
        @Nullable String impersonatorId,
        boolean serviceAccount,
        String action,
        @Nullable String objectType,
        @Nullable String objectId,
        AuditEvent.Outcome outcome,
        Map<String, String> details,
        @Nullable String requestId,
        @Nullable String clientAddress,
        String prevHash,
        String hash) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
    }
}
