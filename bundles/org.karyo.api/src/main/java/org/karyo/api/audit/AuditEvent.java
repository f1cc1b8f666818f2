package org.karyo.api.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing to audit. Holds opaque identifiers only: never passwords, tokens, names or patient identifiers.
 *
 * @param action what happened, {@code <module>.<object>.<verb>} (for example {@code content.content.create},
 *     {@code auth.login.failure})
 * @param objectType the kind of object acted on (for example {@code content}), or {@code null}
 * @param objectId the object's opaque id, or {@code null}
 * @param outcome whether it succeeded
 * @param details further opaque facts (ids, counts, field names); at most 32 entries
 */
public record AuditEvent(
        String action, String objectType, String objectId, Outcome outcome, Map<String, String> details) {

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(details));
        if (details.size() > 32) {
            throw new IllegalArgumentException("an audit event carries at most 32 details");
        }
    }

    /** A successful action on an object. */
    public static AuditEvent success(String action, String objectType, Object objectId) {
        return new AuditEvent(action, objectType, objectId == null ? null : objectId.toString(), Outcome.SUCCESS, null);
    }

    /** A failed or refused action. */
    public static AuditEvent failure(String action, String objectType, Object objectId) {
        return new AuditEvent(action, objectType, objectId == null ? null : objectId.toString(), Outcome.FAILURE, null);
    }

    /** This event with one more detail. */
    public AuditEvent with(String key, Object value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, String.valueOf(value));
        return new AuditEvent(action, objectType, objectId, outcome, more);
    }

    /** Whether an action succeeded. */
    public enum Outcome {
        SUCCESS,
        FAILURE,
        DENIED
    }
}
