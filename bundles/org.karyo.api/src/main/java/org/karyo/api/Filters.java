package org.karyo.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Parsing of the comma-separated multi-value filters that every list endpoint accepts ({@code ?type=A,B}). */
public final class Filters {
    private Filters() {}

    /** Splits {@code a,b , c} into {@code [a, b, c]}; {@code null} or blank gives an empty set. */
    public static Set<String> values(String raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            for (String s : raw.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /**
     * Splits and converts each value, failing with {@link Kind#INVALID} on the parameter when a value is unknown.
     *
     * @param parameter the query parameter's name, reported in the error
     * @param raw the raw value
     * @param parser converts one value; throws {@link IllegalArgumentException} for an unknown one
     */
    public static <T> Set<T> values(String parameter, String raw, Function<String, T> parser) {
        Set<T> out = new LinkedHashSet<>();
        List<FieldError> errors = new ArrayList<>();
        for (String v : values(raw)) {
            try {
                out.add(parser.apply(v));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(parameter, "unknown value '" + v + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return out;
    }
}
