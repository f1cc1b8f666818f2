package org.karyo.api.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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

    /** The longest detail value: details are opaque ids, counts and keys, not free text. */
    public static final int MAX_DETAIL_LENGTH = 1000;

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final List<String> CREDENTIAL_WORDS = List.of("password", "passwd", "secret", "token");

    /**
     * Checks the event where it is made, so that a module's own tests catch what the audit trail would refuse: an
     * action that is not {@code <module>.<object>.<verb>} in lower case, more than 32 details, a detail key that is not
     * a short identifier or is named like a credential ({@code password}, {@code secret}, {@code token}… unless it
     * ends with {@code _id}), or a value longer than {@value #MAX_DETAIL_LENGTH} characters.
     *
     * @throws IllegalArgumentException naming the rule (never echoing a value)
     */
    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        if (action.length() > 128 || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException(
                    "audit action is not <module>.<object>.<verb> (lower case, at most 128 characters)");
        }
        details = details == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(details));
        if (details.size() > 32) {
            throw new IllegalArgumentException("an audit event carries at most 32 details");
        }
        for (Map.Entry<String, String> d : details.entrySet()) {
            String key = d.getKey();
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("audit detail key of " + action
                        + " is not a short identifier (a letter, then letters, digits, _ . -; at most 64 characters)");
            }
            if (namesACredential(key)) {
                throw new IllegalArgumentException("audit detail key '" + key + "' of " + action
                        + " names a credential: passwords, tokens and secrets never go into the audit trail");
            }
            if (d.getValue().length() > MAX_DETAIL_LENGTH) {
                throw new IllegalArgumentException(
                        "audit detail '" + key + "' of " + action + " is longer than " + MAX_DETAIL_LENGTH
                                + " characters: the audit trail holds opaque ids and counts, not free text");
            }
            if (d.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("audit detail '" + key + "' of " + action + " contains NUL");
            }
        }
    }

    /** Whether a detail key looks like it holds a credential (keys ending with {@code _id} or {@code Id} do not). */
    public static boolean namesACredential(String key) {
        if (key.endsWith("_id") || key.endsWith("Id")) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return CREDENTIAL_WORDS.stream().anyMatch(k::contains);
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
