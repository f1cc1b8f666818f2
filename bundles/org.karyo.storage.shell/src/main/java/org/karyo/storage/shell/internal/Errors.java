package org.karyo.storage.shell.internal;

import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;

/** Console wording of storage failures: the store's message, every invalid field on one line, no stack trace. */
final class Errors {
    private Errors() {}

    /** An exception whose message Karaf prints after "Error executing command:". */
    static IllegalArgumentException explain(KaryoException e) {
        if (e.errors().isEmpty()) {
            return new IllegalArgumentException(e.getMessage(), e);
        }
        String fields =
                e.errors().stream().map(f -> option(f) + " " + f.message()).collect(Collectors.joining("; "));
        return new IllegalArgumentException(fields, e);
    }

    private static String option(FieldError f) {
        return switch (f.field()) {
            case "key" -> "key";
            case "prefix" -> "prefix";
            case "max" -> "--limit";
            case "grace" -> "--grace-hours";
            default -> f.field();
        };
    }
}
