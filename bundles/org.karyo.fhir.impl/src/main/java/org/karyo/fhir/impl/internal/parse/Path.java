package org.karyo.fhir.impl.internal.parse;

/**
 * A FHIRPath location under construction: an immutable chain of steps, rendered only when an issue is reported.
 * Names that are not FHIRPath identifiers (an unknown JSON key) are quoted with backticks, and long ones are cut, so a
 * hostile key cannot make a location large.
 */
final class Path {
    private static final int MAX_NAME = 64;

    private final Path parent;
    private final String name; // null for an index step
    private final int index;

    private Path(Path parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    /** The root of a location: a resource type (or {@code Resource} when the type is unknown). */
    static Path root(String type) {
        return new Path(null, type, -1);
    }

    /** {@code this.name}; {@code name} may be a composed step such as {@code value.ofType(Quantity)}. */
    Path child(String name) {
        return new Path(this, name, -1);
    }

    /** {@code this[i]}. */
    Path index(int i) {
        return new Path(this, null, i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent != null) {
            parent.append(sb);
        }
        if (name == null) {
            sb.append('[').append(index).append(']');
            return;
        }
        if (parent != null) {
            sb.append('.');
        }
        sb.append(parent == null ? quote(name) : step(name));
    }

    /** A step we composed ({@code value.ofType(Quantity)}) is kept; anything else is quoted when needed. */
    private static String step(String s) {
        int dot = s.indexOf(".ofType(");
        if (dot > 0 && s.endsWith(")") && isIdentifier(s.substring(0, dot))) {
            return s;
        }
        return quote(s);
    }

    static String quote(String s) {
        if (isIdentifier(s)) {
            return s;
        }
        return '`' + Text.excerpt(s.replace("`", "\\`"), MAX_NAME) + '`';
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || s.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
