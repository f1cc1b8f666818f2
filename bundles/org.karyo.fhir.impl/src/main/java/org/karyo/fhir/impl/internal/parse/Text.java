package org.karyo.fhir.impl.internal.parse;

/** Short, printable excerpts of input text for issue messages. */
final class Text {
    private static final int DEFAULT = 64;

    private Text() {}

    /** At most {@code max} characters of {@code s}, control characters escaped, with an ellipsis when cut. */
    static String excerpt(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > max) {
            sb.append("…");
        }
        return sb.toString();
    }

    /** A quoted excerpt of a value: {@code 'abc'}. */
    static String quoted(String s) {
        return "'" + excerpt(s, DEFAULT) + "'";
    }
}
