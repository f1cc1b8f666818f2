package org.karyo.fhir.impl.internal.parse;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DateType;
import org.hl7.fhir.r5.model.EnumFactory;
import org.hl7.fhir.r5.model.InstantType;

/**
 * The lexical rules of the FHIR R5 primitive types (the regular expressions of the R5 specification, written out by
 * hand where a regex could backtrack on a long string) and their JSON representations. HAPI's parser checks only part
 * of this (it accepts {@code "a/b"} as an id and keeps {@code "b"}, a positiveInt of 0, a time of 25:00, a string
 * {@code "true"} for a boolean…), so every primitive value is checked here before HAPI sees it.
 */
final class Primitives {
    /** The R5 primitive types, with their JSON representation. */
    enum Type {
        BOOLEAN(Json.BOOLEAN),
        INTEGER(Json.NUMBER),
        UNSIGNED_INT(Json.NUMBER),
        POSITIVE_INT(Json.NUMBER),
        DECIMAL(Json.NUMBER),
        INTEGER64(Json.STRING),
        STRING(Json.STRING),
        MARKDOWN(Json.STRING),
        CODE(Json.STRING),
        ID(Json.STRING),
        URI(Json.STRING),
        URL(Json.STRING),
        CANONICAL(Json.STRING),
        OID(Json.STRING),
        UUID(Json.STRING),
        BASE64_BINARY(Json.STRING),
        INSTANT(Json.STRING),
        DATE(Json.STRING),
        DATE_TIME(Json.STRING),
        TIME(Json.STRING);

        final Json json;

        Type(Json json) {
            this.json = json;
        }

        /** The type of a FHIR primitive type name ({@code dateTime}); an unknown name is checked as a string. */
        static Type of(String fhirName) {
            return switch (fhirName) {
                case "boolean" -> BOOLEAN;
                case "integer" -> INTEGER;
                case "unsignedInt" -> UNSIGNED_INT;
                case "positiveInt" -> POSITIVE_INT;
                case "decimal" -> DECIMAL;
                case "integer64" -> INTEGER64;
                case "markdown" -> MARKDOWN;
                case "code" -> CODE;
                case "id" -> ID;
                case "uri" -> URI;
                case "url" -> URL;
                case "canonical" -> CANONICAL;
                case "oid" -> OID;
                case "uuid" -> UUID;
                case "base64Binary" -> BASE64_BINARY;
                case "instant" -> INSTANT;
                case "date" -> DATE;
                case "dateTime" -> DATE_TIME;
                case "time" -> TIME;
                default -> STRING;
            };
        }
    }

    /** The JSON type a primitive is written as. */
    enum Json {
        BOOLEAN("a JSON boolean"),
        NUMBER("a JSON number"),
        STRING("a JSON string");

        final String description;

        Json(String description) {
            this.description = description;
        }
    }

    private static final String YEAR = "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)";
    private static final String MONTH = "(0[1-9]|1[0-2])";
    private static final String DAY = "(0[1-9]|[1-2][0-9]|3[0-1])";
    private static final String CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?";
    private static final String ZONE = "(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))";
    private static final Pattern DATE = Pattern.compile(YEAR + "(-" + MONTH + "(-" + DAY + ")?)?");
    // the R5 regex makes the zone optional; the text says it SHALL be present when a time is given
    private static final Pattern DATE_TIME =
            Pattern.compile(YEAR + "(-" + MONTH + "(-" + DAY + "(T" + CLOCK + ZONE + ")?)?)?");
    private static final Pattern INSTANT = Pattern.compile(YEAR + "-" + MONTH + "-" + DAY + "T" + CLOCK + ZONE);
    private static final Pattern TIME = Pattern.compile(CLOCK);
    private static final Pattern UUID =
            Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern OID = Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+");
    private static final int MAX_TEMPORAL = 40;
    private static final int MAX_OID = 256;

    private Primitives() {}

    /**
     * Checks one JSON value of a primitive type; returns {@code null} when it is valid, else the issue's code and
     * message as a {@link Problem}.
     */
    static Problem check(Object v, Type type, EnumFactory<?> codes) {
        if (type == Type.INTEGER64 && v instanceof JsonTree.Num n && n.integral()) {
            // R5 writes integer64 as a JSON string, but HAPI 8.8 writes it as a number: what we write must read back
            return integer64(n.text());
        }
        Json expected = type.json;
        boolean jsonOk =
                switch (expected) {
                    case BOOLEAN -> v instanceof Boolean;
                    case NUMBER -> v instanceof JsonTree.Num;
                    case STRING -> v instanceof String;
                };
        if (!jsonOk) {
            return new Problem(
                    Issue.STRUCTURE,
                    "Expected " + expected.description + " for a FHIR " + fhirName(type) + ", found " + describe(v));
        }
        return switch (type) {
            case BOOLEAN -> null;
            case INTEGER -> integer((JsonTree.Num) v, Integer.MIN_VALUE, "integer");
            case UNSIGNED_INT -> integer((JsonTree.Num) v, 0, "unsignedInt");
            case POSITIVE_INT -> integer((JsonTree.Num) v, 1, "positiveInt");
            case DECIMAL -> decimal((JsonTree.Num) v);
            case INTEGER64 -> integer64((String) v);
                // HAPI treats a blank string as no value at all (it would silently vanish): refuse it instead
            case STRING, MARKDOWN -> ((String) v).isBlank() ? blank(type) : null;
            case CODE -> code((String) v, codes);
            case ID -> id((String) v);
            case URI, URL, CANONICAL -> uri((String) v, type);
            case OID -> matches((String) v, OID, MAX_OID, type);
            case UUID -> matches((String) v, UUID, MAX_OID, type);
            case BASE64_BINARY -> base64((String) v);
            case INSTANT -> temporal((String) v, INSTANT, type, new InstantType());
            case DATE -> temporal((String) v, DATE, type, new DateType());
            case DATE_TIME -> temporal((String) v, DATE_TIME, type, new DateTimeType());
            case TIME -> matches((String) v, TIME, MAX_TEMPORAL, type);
        };
    }

    /** An issue's code and message, without its location. */
    record Problem(String code, String message) {}

    /** Whether {@code s} is a valid FHIR id: {@code [A-Za-z0-9\-.]{1,64}}. */
    static boolean isId(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static Problem id(String s) {
        return isId(s)
                ? null
                : new Problem(
                        Issue.VALUE,
                        "Invalid id " + Text.quoted(s) + ": 1 to 64 of A-Z, a-z, 0-9, '-' and '.' are allowed");
    }

    private static Problem empty(Type type) {
        return new Problem(Issue.VALUE, "A FHIR " + fhirName(type) + " cannot be empty: leave the element out instead");
    }

    private static Problem blank(Type type) {
        return new Problem(
                Issue.VALUE,
                "A FHIR " + fhirName(type) + " cannot be empty or only whitespace: leave the" + " element out instead");
    }

    private static Problem integer(JsonTree.Num n, long min, String name) {
        String t = n.text();
        if (!n.integral() || t.equals("-0") || t.length() > 11) {
            return new Problem(
                    Issue.VALUE,
                    "Invalid " + name + " " + Text.quoted(t) + ": a whole number from " + min
                            + " to 2147483647 is expected");
        }
        long value = Long.parseLong(t);
        if (value < min || value > Integer.MAX_VALUE) {
            return new Problem(
                    Issue.VALUE,
                    "Invalid " + name + " " + Text.quoted(t) + ": it must be between " + min + " and 2147483647");
        }
        return null;
    }

    private static Problem integer64(String s) {
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        boolean ok = s.length() > i && s.length() <= 20;
        for (int j = i; ok && j < s.length(); j++) {
            ok = s.charAt(j) >= '0' && s.charAt(j) <= '9';
        }
        ok = ok && (s.charAt(i) != '0' || s.length() == 1);
        if (ok) {
            try {
                Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
                return null;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        return new Problem(
                Issue.VALUE,
                "Invalid integer64 " + Text.quoted(s) + ": a whole number in the signed 64-bit"
                        + " range, written as a JSON string, is expected");
    }

    /**
     * R5: {@code -?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?([eE][+-]?[0-9]{1,9})?} — and, because HAPI writes decimals back
     * in plain notation, the plain form of the value must fit the same pattern (at most 18 digits before the point
     * and 17 after it): {@code 1e999} would come back out as a thousand digits that no R5 reader accepts.
     */
    private static Problem decimal(JsonTree.Num n) {
        String t = n.text();
        int i = t.startsWith("-") ? 1 : 0;
        int intStart = i;
        while (i < t.length() && isDigit(t.charAt(i))) {
            i++;
        }
        int intDigits = i - intStart;
        int fracDigits = 0;
        if (i < t.length() && t.charAt(i) == '.') {
            int f = ++i;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            fracDigits = i - f;
        }
        int expDigits = 0;
        if (i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            expDigits = i - e;
            if (expDigits == 0) {
                i = -1;
            }
        }
        boolean lexical = i == t.length()
                && intDigits >= 1
                && intDigits <= 18
                && fracDigits <= 17
                && expDigits <= 9
                && (t.charAt(intStart) != '0' || intDigits == 1);
        if (!lexical) {
            return new Problem(
                    Issue.VALUE,
                    "Invalid decimal " + Text.quoted(t)
                            + ": at most 18 digits before the decimal point and 17 after it are allowed");
        }
        if (expDigits > 0) {
            BigDecimal d = new BigDecimal(t);
            int scale = d.scale();
            boolean plainFits = scale <= 17 && (d.signum() == 0 || d.precision() - scale <= 18);
            if (!plainFits) {
                return new Problem(
                        Issue.VALUE,
                        "Decimal " + Text.quoted(t) + " is out of range: written without an"
                                + " exponent it needs more than 18 digits before the decimal point or 17 after it");
            }
        }
        return null;
    }

    /** R5: {@code [^\s]+( [^\s]+)*}, and a member of the value set when HAPI knows the required binding. */
    private static Problem code(String s, EnumFactory<?> codes) {
        if (s.isEmpty()) {
            return empty(Type.CODE);
        }
        boolean ok = !isSpace(s.charAt(0)) && !isSpace(s.charAt(s.length() - 1));
        for (int i = 1; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c) && (c != ' ' || s.charAt(i - 1) == ' ')) {
                ok = false;
            }
        }
        if (!ok) {
            return new Problem(
                    Issue.VALUE,
                    "Invalid code " + Text.quoted(s) + ": no leading, trailing or repeated whitespace is allowed");
        }
        if (codes != null) {
            try {
                if (codes.fromCode(s) == null) {
                    return unknownCode(s, codes);
                }
            } catch (RuntimeException e) { // HAPI's factories throw IllegalArgumentException or FHIRException
                return unknownCode(s, codes);
            }
        }
        return null;
    }

    private static Problem unknownCode(String s, EnumFactory<?> codes) {
        String set = codes.getClass().getSimpleName().replace("EnumFactory", "");
        return new Problem(
                Issue.VALUE, "Unknown code " + Text.quoted(s) + ": it is not in the required value set (" + set + ")");
    }

    /** R5 uri, url, canonical: {@code \S*}, and not empty. */
    private static Problem uri(String s, Type type) {
        if (s.isEmpty()) {
            return empty(type);
        }
        for (int i = 0; i < s.length(); i++) {
            if (isSpace(s.charAt(i))) {
                return new Problem(
                        Issue.VALUE,
                        "Invalid " + fhirName(type) + " " + Text.quoted(s) + ": whitespace is not allowed");
            }
        }
        return null;
    }

    /** R5 base64Binary: base64 alphabet in groups of four, padding only at the end, whitespace allowed. */
    private static Problem base64(String s) {
        int n = 0;
        int pad = 0;
        int last = 0; // the value of the last alphabet character
        boolean ok = true;
        for (int i = 0; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            if (c == '=') {
                pad++;
                ok = pad <= 2;
            } else {
                last = base64Value(c);
                ok = pad == 0 && last >= 0;
            }
            n++;
        }
        if (!ok || n == 0 || n % 4 != 0) {
            return new Problem(
                    Issue.VALUE,
                    n == 0 && ok
                            ? "A FHIR base64Binary cannot be empty"
                            : "Invalid base64Binary: only the base64 alphabet in groups of four characters, with '='"
                                    + " padding at the end, is allowed");
        }
        // the bits after the last byte must be zero, or the value would be written back differently
        if ((pad == 1 && (last & 0x3) != 0) || (pad == 2 && (last & 0xF) != 0)) {
            return new Problem(
                    Issue.VALUE,
                    "Invalid base64Binary: the unused bits before the '=' padding must be"
                            + " zero (RFC 4648 canonical encoding)");
        }
        return null;
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    private static Problem temporal(String s, Pattern p, Type type, BaseDateTimeType hapi) {
        Problem lexical = matches(s, p, MAX_TEMPORAL, type);
        if (lexical != null) {
            return lexical;
        }
        try {
            hapi.setValueAsString(s); // the calendar: 2023-02-30 passes the pattern, not HAPI
            return null;
        } catch (RuntimeException e) {
            return new Problem(
                    Issue.VALUE, "Invalid " + fhirName(type) + " " + Text.quoted(s) + ": not a date of the calendar");
        }
    }

    private static Problem matches(String s, Pattern p, int maxLength, Type type) {
        if (s.isEmpty()) {
            return empty(type);
        }
        if (s.length() <= maxLength && p.matcher(s).matches()) {
            return null;
        }
        return new Problem(Issue.VALUE, "Invalid " + fhirName(type) + " " + Text.quoted(s) + hint(type));
    }

    private static String hint(Type type) {
        return switch (type) {
            case DATE -> ": YYYY, YYYY-MM or YYYY-MM-DD is expected";
            case DATE_TIME -> ": YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.f] with a time zone is expected";
            case INSTANT -> ": YYYY-MM-DDThh:mm:ss[.f] with a time zone is expected";
            case TIME -> ": hh:mm:ss[.f] is expected";
            case OID -> ": urn:oid:<digits and dots> is expected";
            case UUID -> ": urn:uuid:<lower-case UUID> is expected";
            default -> "";
        };
    }

    static String fhirName(Type type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case INTEGER -> "integer";
            case UNSIGNED_INT -> "unsignedInt";
            case POSITIVE_INT -> "positiveInt";
            case DECIMAL -> "decimal";
            case INTEGER64 -> "integer64";
            case STRING -> "string";
            case MARKDOWN -> "markdown";
            case CODE -> "code";
            case ID -> "id";
            case URI -> "uri";
            case URL -> "url";
            case CANONICAL -> "canonical";
            case OID -> "oid";
            case UUID -> "uuid";
            case BASE64_BINARY -> "base64Binary";
            case INSTANT -> "instant";
            case DATE -> "date";
            case DATE_TIME -> "dateTime";
            case TIME -> "time";
        };
    }

    static String describe(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof JsonTree.Num) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof JsonTree.Obj) {
            return "an object";
        }
        if (v instanceof JsonTree.Arr) {
            return "an array";
        }
        return "null";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code \s} of java.util.regex: space, tab, LF, VT, FF, CR. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
