package org.karyo.fhir.impl.internal.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bounded pre-scan: reads JSON text with Jackson's streaming parser into a small tree (objects, arrays, strings,
 * numbers kept as text, booleans, {@link #NULL}), enforcing the limits as it goes — nesting depth, string length,
 * array and object sizes — and rejecting duplicate keys and strings with control characters or unpaired surrogates.
 * It is iterative (no recursion), so a 10,000-level document costs nothing but the few levels read before the limit.
 * A limit or a syntax error stops the scan with one fatal issue; duplicate keys and bad characters are collected.
 */
final class JsonTree {
    /** JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number, kept as written. */
    record Num(String text, boolean integral) {}

    /** A JSON object (keys in document order; a duplicate key keeps its first value). */
    static final class Obj {
        final LinkedHashMap<String, Object> members = new LinkedHashMap<>();

        Object get(String key) {
            return members.get(key);
        }

        boolean has(String key) {
            return members.containsKey(key);
        }
    }

    /** A JSON array. */
    static final class Arr {
        final List<Object> items = new ArrayList<>();
    }

    private static final class Frame {
        final Frame parent;
        final Object node;
        final int depth;
        String key; // in an object: the member being read
        String done; // in an object: the last member read completely
        boolean skipValue; // in an object: the member being read repeats a key (read and checked, not kept)

        Frame(Frame parent, Object node, int depth) {
            this.parent = parent;
            this.node = node;
            this.depth = depth;
        }
    }

    private final JsonFactory factory;
    private final FhirJson.Limits limits;
    private final Issues issues;
    private final Predicate<String> knownType;
    private final String expectedType;
    private Frame top;
    private String rootType;
    private JsonParser parser;
    private Path lastPath; // where a fatal issue stopped the scan

    private JsonTree(
            JsonFactory factory,
            FhirJson.Limits limits,
            Issues issues,
            Predicate<String> knownType,
            String expectedType) {
        this.factory = factory;
        this.limits = limits;
        this.issues = issues;
        this.knownType = knownType;
        this.expectedType = expectedType;
    }

    /**
     * Reads {@code text}; returns the root object, or {@code null} when a fatal issue stopped the scan (it is in
     * {@code issues}).
     */
    static Obj read(
            JsonFactory factory,
            char[] text,
            int length,
            FhirJson.Limits limits,
            Issues issues,
            Predicate<String> knownType,
            String expectedType) {
        return new JsonTree(factory, limits, issues, knownType, expectedType).run(text, length);
    }

    /** {@link #read(JsonFactory, char[], int, FhirJson.Limits, Issues, Predicate, String)} of a string. */
    static Obj read(
            JsonFactory factory,
            String text,
            FhirJson.Limits limits,
            Issues issues,
            Predicate<String> knownType,
            String expectedType) {
        return read(factory, text.toCharArray(), text.length(), limits, issues, knownType, expectedType);
    }

    /** Where the JSON text {@code prefix} ends: the location of whatever was being read at its last character. */
    static String locationAtEnd(
            JsonFactory factory, char[] prefix, int length, Predicate<String> knownType, String expectedType) {
        FhirJson.Limits unlimited = new FhirJson.Limits(
                Integer.MAX_VALUE - 16, FhirJson.Limits.MAX_DEPTH, Integer.MAX_VALUE, Integer.MAX_VALUE);
        JsonTree tree = new JsonTree(factory, unlimited, new Issues(1), knownType, expectedType);
        tree.run(prefix, length);
        return tree.lastPath == null ? tree.path().toString() : tree.lastPath.toString();
    }

    /** The type that names the root in locations: the root's resourceType when known, else the expected type. */
    private String rootName() {
        if (rootType != null) {
            return rootType;
        }
        return expectedType != null && knownType.test(expectedType) ? expectedType : "Resource";
    }

    /** The location of what is being read now. */
    private Path path() {
        return path(top, true);
    }

    /**
     * The location of the member of {@code f} being read: in the innermost frame it is not added yet (index = size),
     * in the outer ones it is the last item (it holds the inner frame).
     */
    private Path path(Frame f, boolean innermost) {
        if (f == null) {
            return Path.root(rootName());
        }
        Path p = path(f.parent, false);
        if (f.node instanceof Arr a) {
            return p.index(innermost ? a.items.size() : a.items.size() - 1);
        }
        return f.key == null ? p : p.child(f.key);
    }

    /** The location of the container {@code f} itself. */
    private Path containerPath(Frame f) {
        return path(f.parent, false);
    }

    /**
     * The location of a syntax error. Jackson reads a member's value together with its name, so an error in the value
     * comes before the name reaches us: its parsing context knows it.
     */
    private Path errorPath() {
        if (top != null && top.node instanceof Obj && top.key == null && parser != null) {
            String name = parser.getParsingContext().getCurrentName();
            if (name != null && !name.equals(top.done)) {
                return path(top.parent, false).child(name);
            }
        }
        return path();
    }

    private void stop(String code, Path where, String message) {
        lastPath = where;
        issues.fatal(code, where, message);
    }

    private Obj run(char[] text, int length) {
        Obj root = null;
        try (JsonParser p = factory.createParser(text, 0, length)) {
            parser = p;
            JsonToken t = p.nextToken();
            if (t == null) {
                issues.fatal(Issue.STRUCTURE, path(), "The body is empty: a FHIR resource (a JSON object) is expected");
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                issues.fatal(Issue.STRUCTURE, path(), "A FHIR resource must be a JSON object, found " + describe(t));
                return null;
            }
            root = new Obj();
            top = new Frame(null, root, 1);
            while (top != null) {
                t = p.nextToken();
                if (t == null) {
                    stop(Issue.STRUCTURE, path(), "Invalid JSON: unexpected end of input");
                    return null;
                }
                if (!step(p, t)) {
                    return null;
                }
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                issues.fatal(
                        Issue.STRUCTURE,
                        Path.root(rootName()),
                        "Invalid JSON: unexpected " + describe(trailing) + " after the end of the resource");
                return null;
            }
            return root;
        } catch (StreamConstraintsException e) {
            String msg = String.valueOf(e.getOriginalMessage());
            if (msg.startsWith("String value length")) {
                stop(
                        Issue.TOO_LONG,
                        errorPath(),
                        "A string is longer than " + limits.maxStringLength() + " characters");
            } else if (msg.startsWith("Name length")) {
                stop(
                        Issue.TOO_LONG,
                        errorPath(),
                        "A JSON key is longer than "
                                + factory.streamReadConstraints().getMaxNameLength() + " characters");
            } else if (msg.startsWith("Number value length") || msg.startsWith("Number length")) {
                stop(
                        Issue.TOO_LONG,
                        errorPath(),
                        "A number is longer than "
                                + factory.streamReadConstraints().getMaxNumberLength() + " characters");
            } else if (msg.contains("nesting")) {
                stop(Issue.TOO_COSTLY, errorPath(), "JSON nesting is deeper than " + limits.maxDepth() + " levels");
            } else {
                stop(Issue.TOO_LONG, errorPath(), "The input exceeds a parser limit");
            }
            return null;
        } catch (JsonProcessingException e) {
            stop(Issue.STRUCTURE, errorPath(), "Invalid JSON: " + Text.excerpt(message(e), 200) + at(e));
            return null;
        } catch (IOException | RuntimeException e) {
            // Jackson reports everything about the text as JsonProcessingException; anything else is still bad input
            stop(Issue.STRUCTURE, errorPath(), "Invalid JSON");
            return null;
        } finally {
            parser = null;
        }
    }

    /** Handles one token inside the root object; false when a fatal issue stops the scan. */
    private boolean step(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT, START_ARRAY -> {
                int depth = top.depth + 1;
                if (depth > limits.maxDepth()) {
                    issues.fatal(
                            Issue.TOO_COSTLY, path(), "JSON nesting is deeper than " + limits.maxDepth() + " levels");
                    return false;
                }
                Object node = t == JsonToken.START_OBJECT ? new Obj() : new Arr();
                if (!add(node)) {
                    return false;
                }
                top = new Frame(top, node, depth);
            }
            case END_OBJECT, END_ARRAY -> {
                top = top.parent;
                if (top != null && top.node instanceof Obj) {
                    top.done = top.key;
                    top.key = null; // the member is complete: later errors are about the object
                }
            }
            case FIELD_NAME -> {
                String name = p.currentName();
                Obj o = (Obj) top.node;
                top.key = name;
                top.skipValue = false;
                if (name.length() > limits.maxStringLength()) {
                    issues.fatal(
                            Issue.TOO_LONG,
                            containerPath(top),
                            "A JSON key is longer than " + limits.maxStringLength() + " characters");
                    return false;
                }
                if (o.members.size() >= limits.maxArrayLength()) {
                    issues.fatal(
                            Issue.TOO_LONG,
                            containerPath(top),
                            "A JSON object has more than " + limits.maxArrayLength() + " members");
                    return false;
                }
                if (o.has(name)) {
                    issues.error(Issue.STRUCTURE, path(), "Duplicate JSON key " + Text.quoted(name));
                    top.skipValue = true;
                }
            }
            case VALUE_STRING -> {
                if (p.getTextLength() > limits.maxStringLength()) {
                    issues.fatal(
                            Issue.TOO_LONG,
                            path(),
                            "A string is longer than " + limits.maxStringLength() + " characters");
                    return false;
                }
                String s = p.getText();
                checkCharacters(s);
                if (top.parent == null && "resourceType".equals(top.key) && knownType.test(s)) {
                    rootType = s;
                }
                return add(s);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return add(new Num(p.getText(), t == JsonToken.VALUE_NUMBER_INT));
            }
            case VALUE_TRUE -> {
                return add(Boolean.TRUE);
            }
            case VALUE_FALSE -> {
                return add(Boolean.FALSE);
            }
            case VALUE_NULL -> {
                return add(NULL);
            }
            default -> {
                issues.fatal(Issue.STRUCTURE, path(), "Invalid JSON: unexpected " + describe(t));
                return false;
            }
        }
        return true;
    }

    private boolean add(Object value) {
        if (top.node instanceof Arr a) {
            if (a.items.size() >= limits.maxArrayLength()) {
                issues.fatal(
                        Issue.TOO_LONG,
                        containerPath(top),
                        "An array has more than " + limits.maxArrayLength() + " items");
                return false;
            }
            a.items.add(value);
        } else {
            if (!top.skipValue) {
                ((Obj) top.node).members.put(top.key, value);
            }
            if (!(value instanceof Obj) && !(value instanceof Arr)) {
                top.done = top.key;
                top.key = null; // the member is complete: later errors are about the object
            }
        }
        return true;
    }

    /** FHIR strings exclude control characters other than tab, CR and LF, and must be well-formed Unicode. */
    private void checkCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                issues.error(
                        Issue.VALUE,
                        path(),
                        String.format(
                                "The string contains the control character U+%04X (at offset %d), which FHIR does not allow",
                                (int) c, i));
                return;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                issues.error(
                        Issue.VALUE,
                        path(),
                        String.format(
                                "The string contains an unpaired surrogate U+%04X (at offset %d): it is not valid Unicode",
                                (int) c, i));
                return;
            }
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + t.asString() + "'";
        };
    }

    private static String message(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "syntax error";
        }
        int marker = m.indexOf(" (start marker at");
        return (marker > 0 ? m.substring(0, marker) : m)
                .replaceAll("\\[Source: [^\\]]*\\]", "")
                .strip();
    }

    private static String at(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }
}
