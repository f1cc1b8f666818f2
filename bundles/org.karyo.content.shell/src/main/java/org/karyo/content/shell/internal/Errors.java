package org.karyo.content.shell.internal;

import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;

/** Console wording of service failures: every invalid field on one line. */
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
            case "content_type" -> "--type";
            case "page", "page_source" -> "--page";
            case "search" -> "--search";
            case "limit" -> "--limit";
            case "offset" -> "--offset";
            default -> f.field().startsWith("metadata.")
                    ? "--metadata " + f.field().substring(9)
                    : f.field();
        };
    }
}
