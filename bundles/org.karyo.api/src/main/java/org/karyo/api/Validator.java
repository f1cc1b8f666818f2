package org.karyo.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects field errors of one request, so that a client hears about every invalid field at once. */
public final class Validator {
    private final List<FieldError> errors = new ArrayList<>();

    /** Records an error on {@code field} unless {@code ok}. */
    public Validator check(boolean ok, String field, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    /** Requires a value to be present. */
    public Validator required(Object value, String field) {
        return check(value != null, field, "is required");
    }

    /** Requires a string to be non-blank and at most {@code max} characters long. */
    public Validator text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return check(false, field, "is required");
        }
        return maxLength(value, field, max);
    }

    /** Requires a string, when present, to be at most {@code max} characters long. */
    public Validator maxLength(String value, String field, int max) {
        return check(value == null || value.length() <= max, field, "must be at most " + max + " characters");
    }

    /**
     * Runs a parser that reports bad input as a {@link KaryoException} of kind {@link Kind#INVALID} (such as
     * {@link Filters#values(String, String, java.util.function.Function)} or {@link PageRequest#parse}): its field
     * errors join this validator's and {@code fallback} is returned. Any other failure propagates.
     */
    public <T> T collect(Supplier<T> parse, T fallback) {
        try {
            return parse.get();
        } catch (KaryoException e) {
            if (e.kind() != Kind.INVALID) {
                throw e;
            }
            errors.addAll(e.errors());
            return fallback;
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws {@link KaryoException#invalid(List)} if any error was recorded. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
    }
}
