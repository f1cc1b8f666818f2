package org.karyo.jobs.impl.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flat JSON objects of strings ({@code {"upload_id": "12"}}): the payloads, checkpoints and results of jobs, kept as
 * {@code jsonb}. Encodes a map with its keys sorted and decodes what PostgreSQL prints back; a value that is not a
 * string (a number, true, false) is read as its text, {@code null} as absent.
 */
final class FlatJson {

    private FlatJson() {}

    static String encode(Map<String, String> map) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, e.getKey()).append(':');
            string(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    static Map<String, String> decode(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        Parser p = new Parser(json);
        p.expect('{');
        if (p.peek() == '}') {
            p.pos++;
            return out;
        }
        while (true) {
            String key = p.string();
            p.expect(':');
            String value = p.value();
            if (value != null) {
                out.put(key, value);
            }
            char c = p.next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw p.error("',' or '}'");
            }
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            skip();
            if (pos >= s.length()) {
                throw error("more input");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw error("'" + c + "'");
            }
        }

        String value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            int start = pos;
            while (pos < s.length() && ",}] \t\r\n".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String token = s.substring(start, pos);
            if (token.isEmpty() || c == '{' || c == '[') {
                throw error("a string, number or literal");
            }
            return token.equals("null") ? null : token;
        }

        String string() {
            if (next() != '"') {
                throw error("a string");
            }
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("the end of a string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("an escape");
                }
            }
        }

        private void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("not a flat JSON object: expected " + expected + " at " + pos);
        }
    }
}
