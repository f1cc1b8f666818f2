package org.karyo.auth.shell.internal;

import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;

/** Console wording of service failures: the service's message, or every invalid field on one line by its option. */
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
        String field = f.field();
        if (field.startsWith("rights")) {
            return "--rights";
        }
        return switch (field) {
            case "firstname" -> "--firstname";
            case "lastname" -> "--lastname";
            case "email" -> "--email";
            case "password" -> "the password";
            case "kind" -> "--service";
            case "expires_at" -> "--expires";
            case "search" -> "--search";
            case "limit" -> "--limit";
            case "offset" -> "--offset";
            default -> field;
        };
    }
}
