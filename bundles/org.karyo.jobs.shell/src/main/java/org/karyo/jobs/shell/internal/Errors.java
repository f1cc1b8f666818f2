package org.karyo.jobs.shell.internal;

import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;

/** Console wording of service failures: every invalid field on one line, named as its option. */
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
            case "limit", "offset", "state", "type", "module", "owner", "key" -> "--" + f.field();
            default -> f.field();
        };
    }
}
