package org.karyo.api;

import java.util.Objects;

/**
 * One invalid field of a request.
 *
 * @param field the field's JSON path (for example {@code metadata.order}) or query parameter name
 * @param message what is wrong with it, safe to show to the client
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
