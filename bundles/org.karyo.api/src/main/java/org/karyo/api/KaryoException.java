package org.karyo.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception type that services throw for expected failures. Its message is safe to show to clients by
 * contract: never put SQL, driver or storage messages into it.
 */
public class KaryoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final String type;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;
    private final Duration retryAfter;

    /**
     * @param kind what went wrong
     * @param type a stable, short machine-readable slug (for example {@code validation}, {@code not-found})
     * @param message a human-readable, client-safe detail
     * @param errors the invalid fields, if any
     * @param extensions extra client-safe members for the problem document
     * @param retryAfter when the client may retry, or {@code null}
     */
    public KaryoException(
            Kind kind,
            String type,
            String message,
            List<FieldError> errors,
            Map<String, Object> extensions,
            Duration retryAfter) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.type = Objects.requireNonNull(type, "type");
        this.errors = List.copyOf(errors == null ? List.of() : errors);
        this.extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return Map.copyOf(extensions);
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public static KaryoException notFound(String what, Object id) {
        return new KaryoException(Kind.NOT_FOUND, "not-found", what + " " + id + " does not exist", null, null, null);
    }

    public static KaryoException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static KaryoException invalid(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid request names at least one field");
        }
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new KaryoException(Kind.INVALID, "validation", detail, errors, null, null);
    }

    public static KaryoException conflict(String message) {
        return new KaryoException(Kind.CONFLICT, "conflict", message, null, null, null);
    }

    public static KaryoException forbidden(String message) {
        return new KaryoException(Kind.FORBIDDEN, "forbidden", message, null, null, null);
    }

    public static KaryoException unauthenticated(String message) {
        return new KaryoException(Kind.UNAUTHENTICATED, "unauthenticated", message, null, null, null);
    }

    public static KaryoException stale(String what, Object id) {
        return new KaryoException(
                Kind.PRECONDITION_FAILED,
                "stale-version",
                what + " " + id + " was changed by someone else; reload it and try again",
                null,
                null,
                null);
    }

    public static KaryoException unavailable(
            String type, String message, Map<String, Object> extensions, Duration retryAfter) {
        return new KaryoException(Kind.UNAVAILABLE, type, message, null, extensions, retryAfter);
    }
}
