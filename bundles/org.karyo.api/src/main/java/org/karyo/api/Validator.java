package org.karyo.api;

import java.util.ArrayList;
import java.util.List;

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
