package org.karyo.audit.impl.internal;

import java.util.Map;
import java.util.regex.Pattern;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;

/**
 * What an audit event may hold. A violation is a programming error in the module that records it, reported as an
 * {@link IllegalArgumentException} (which rolls back the module's unit of work): the audit trail must never receive
 * passwords, tokens, secrets, names or free text.
 *
 * <ul>
 *   <li>action: {@code <module>.<object>.<verb>}, lower case letters, digits, {@code _} and {@code -} between dots, at
 *       most {@value #MAX_ACTION} characters;
 *   <li>object type at most {@value #MAX_OBJECT_TYPE}, object id and actor ids at most {@value #MAX_ID} characters;
 *   <li>detail keys: a letter then letters, digits, {@code _ . -}, at most {@value #MAX_KEY} characters, and not named
 *       like a credential: a key that contains {@code password}, {@code passwd}, {@code secret} or {@code token} (any
 *       case) is refused unless it ends with {@code _id} or {@code Id} (the opaque id of such an object, e.g.
 *       {@code token_id});
 *   <li>detail values: at most {@value #MAX_VALUE} characters;
 *   <li>no text contains the NUL character (PostgreSQL refuses it).
 * </ul>
 */
final class EventRules {

    static final int MAX_ACTION = 128;
    static final int MAX_OBJECT_TYPE = 64;
    static final int MAX_ID = 255;
    static final int MAX_KEY = 64;
    static final int MAX_VALUE = 1000;

    /** Request ids and client addresses longer than this are cut (they come from the request, not the module). */
    static final int MAX_CONTEXT = 128;

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private EventRules() {}

    /**
     * Checks a caller and an event.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing a detail value)
     */
    static void check(Caller caller, AuditEvent event) {
        if (caller == null) {
            throw new IllegalArgumentException("an audit entry needs a caller (Caller.ANONYMOUS for none)");
        }
        if (event == null) {
            throw new IllegalArgumentException("an audit entry needs an event");
        }
        text("caller id", caller.id(), MAX_ID, true);
        text("impersonator id", caller.impersonatedBy().orElse(null), MAX_ID, false);
        String action = event.action();
        if (action.length() > MAX_ACTION || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("audit action '" + shorten(action)
                    + "' is not <module>.<object>.<verb> (lower case, at most " + MAX_ACTION + " characters)");
        }
        text("object type", event.objectType(), MAX_OBJECT_TYPE, false);
        text("object id", event.objectId(), MAX_ID, false);
        for (Map.Entry<String, String> d : event.details().entrySet()) {
            String key = d.getKey();
            if (key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("audit detail key '" + shorten(key) + "' of " + action
                        + " is not a short identifier (a letter, then letters, digits, _ . -; at most " + MAX_KEY
                        + " characters)");
            }
            if (namesACredential(key)) {
                throw new IllegalArgumentException("audit detail key '" + key + "' of " + action
                        + " names a credential: passwords, tokens and secrets never go into the audit trail");
            }
            String value = d.getValue();
            if (value.length() > MAX_VALUE) {
                throw new IllegalArgumentException("audit detail '" + key + "' of " + action + " is longer than "
                        + MAX_VALUE + " characters: the audit trail holds opaque ids and counts, not free text");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("audit detail '" + key + "' of " + action + " contains NUL");
            }
        }
    }

    /** Whether a detail key looks like it holds a credential (the platform contract's rule). */
    static boolean namesACredential(String key) {
        return AuditEvent.namesACredential(key);
    }

    /** A value taken from the request context (MDC), cut to {@value #MAX_CONTEXT} characters; blank is absent. */
    static String context(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.replace('\0', ' ');
        return v.length() <= MAX_CONTEXT ? v : v.substring(0, MAX_CONTEXT);
    }

    private static void text(String what, String value, int max, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("an audit entry needs a " + what);
            }
            return;
        }
        if (required && value.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs a " + what);
        }
        if (value.length() > max) {
            throw new IllegalArgumentException("audit " + what + " is longer than " + max + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("audit " + what + " contains NUL");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
