package org.karyo.rest.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.karyo.api.FieldError;

/**
 * Turns what Jackson reports about an unreadable request body into a client-facing problem: the offending field's
 * JSON path and what it must be, or the line and column of malformed JSON. Jackson's own messages are never echoed
 * (they name Java classes and configuration).
 */
final class JsonProblems {
    static final String VALIDATION = "validation";
    static final String MALFORMED = "malformed-json";
    static final String MISSING_BODY = "missing-body";
    static final String ROOT = "$";
    private static final int MAX_ECHO = 40;
    private static final int MAX_KNOWN = 25;

    private JsonProblems() {}

    /** The problem for an exception thrown while reading a request body. */
    static Problem classify(JsonProcessingException e) {
        // a parse error inside a field arrives wrapped in a mapping exception that carries the path
        StreamReadException read = cause(e, StreamReadException.class);
        if (read instanceof InputCoercionException coercion) {
            String path = e instanceof JsonMappingException m ? path(m) : ROOT;
            return invalid(path, "is out of range for " + describe(coercion.getTargetType()));
        }
        if (read != null) {
            return malformed(read);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String path = path(u);
            String name = u.getPropertyName();
            if (!path.equals(name) && !path.endsWith("." + name)) {
                path = path.equals(ROOT) ? name : path + "." + name;
            }
            return invalid(path, "unknown field '" + echo(name) + "'" + known(u.getKnownPropertyIds()));
        }
        if (e instanceof InvalidNullException n) {
            return invalid(path(n), "must not be null");
        }
        if (e instanceof InvalidTypeIdException t) {
            return invalid(path(t), "has an unknown type");
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getPath().isEmpty() && String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
                return trailing(m.getLocation());
            }
            Class<?> target = m.getTargetType();
            if (target != null && target.isEnum()) {
                String value = m instanceof InvalidFormatException f && f.getValue() instanceof String s
                        ? "unknown value '" + echo(s) + "'; "
                        : "";
                return invalid(path(m), value + "must be one of: " + enumValues(target));
            }
            if (target != null && target.isPrimitive() && isNullMessage(m)) {
                return invalid(path(m), "is required and must be " + describe(target));
            }
            return invalid(path(m), "must be " + describe(target));
        }
        if (e instanceof ValueInstantiationException v) {
            return invalid(path(v), "is invalid");
        }
        if (e instanceof JsonMappingException m) {
            return invalid(path(m), "is invalid");
        }
        return malformedAt(e.getLocation(), "invalid JSON");
    }

    /** The body is empty or the JSON literal {@code null}. */
    static Problem missingBody() {
        return new Problem(MISSING_BODY, "Missing request body", 400, "This request needs a JSON body");
    }

    /** More than one JSON value in the body. */
    static Problem trailing(JsonLocation location) {
        return malformedAt(location, "unexpected content after the JSON value");
    }

    private static Problem malformed(StreamReadException e) {
        String what = e instanceof JsonEOFException ? "unexpected end of input" : "unexpected or invalid content";
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field")) {
            what = "duplicate field";
        } else if (original.contains("Leading zeroes") || original.contains("Invalid numeric value")) {
            what = "invalid number";
        }
        return malformedAt(e.getLocation(), what);
    }

    private static Problem malformedAt(JsonLocation location, String what) {
        Problem p;
        if (location != null && location.getLineNr() > 0) {
            p = new Problem(
                    MALFORMED,
                    "Malformed JSON",
                    400,
                    "The request body is not valid JSON: " + what + " at line " + location.getLineNr() + ", column "
                            + location.getColumnNr());
            p.with("line", location.getLineNr()).with("column", location.getColumnNr());
        } else {
            p = new Problem(MALFORMED, "Malformed JSON", 400, "The request body is not valid JSON: " + what);
        }
        return p;
    }

    private static Problem invalid(String field, String message) {
        return new Problem(VALIDATION, "Invalid request", 400, field + ": " + message)
                .errors(List.of(new FieldError(field, message)));
    }

    /** The JSON path of a mapping exception: {@code metadata.tags[1]}, or {@code $} for the body itself. */
    static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? ROOT : b.toString();
    }

    /** What a value of {@code type} looks like in JSON, for "must be ..." messages. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class
                || type == long.class
                || type == short.class
                || type == byte.class
                || type == Integer.class
                || type == Long.class
                || type == Short.class
                || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class
                || type == float.class
                || type == Double.class
                || type == Float.class
                || type == BigDecimal.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of: " + enumValues(type);
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "an ISO-8601 date-time with an offset, for example 2024-05-01T12:00:00Z";
        }
        if (type == LocalDate.class) {
            return "an ISO-8601 date, for example 2024-05-01";
        }
        if (type == LocalDateTime.class) {
            return "an ISO-8601 date-time, for example 2024-05-01T12:00:00";
        }
        if (type == LocalTime.class) {
            return "an ISO-8601 time, for example 12:00:00";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration, for example PT15M";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)
                || type.isRecord()
                || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }

    private static boolean isNullMessage(MismatchedInputException m) {
        return String.valueOf(m.getOriginalMessage()).startsWith("Cannot map `null`");
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> ((Enum<?>) c).name())
                .collect(Collectors.joining(", "));
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        List<String> names = ids.stream().map(Objects::toString).sorted().toList();
        if (names.size() > MAX_KNOWN) {
            return "";
        }
        return "; known fields: " + String.join(", ", names);
    }

    /** A client value, shortened, for messages. */
    private static String echo(String value) {
        String v = value.replaceAll("\\p{Cntrl}", "?");
        return v.length() <= MAX_ECHO ? v : v.substring(0, MAX_ECHO) + "...";
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
