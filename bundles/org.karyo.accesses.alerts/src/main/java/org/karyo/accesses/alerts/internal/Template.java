package org.karyo.accesses.alerts.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small text template: {@code {{name}}} is replaced by a value, and {@code {{#list}} … {{/list}}} repeats its body
 * once per item of a list (items see their own values and the top-level ones). A newline right after a section tag is
 * dropped, so sections can sit on their own lines. Names are checked when the template is parsed: an unknown name is an
 * error then, not a hole in a mail later. Sections do not nest.
 */
final class Template {

    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([#/]?)([a-z_]+)\\s*}}");

    private sealed interface Node permits Literal, Value, Section {}

    private record Literal(String text) implements Node {}

    private record Value(String name) implements Node {}

    private record Section(String name, List<Node> body) implements Node {}

    private final List<Node> nodes;

    private Template(List<Node> nodes) {
        this.nodes = nodes;
    }

    /**
     * Parses {@code source}.
     *
     * @param names the top-level value names
     * @param sections the list names, each with the names its items carry
     * @throws IllegalArgumentException on an unknown name, a section that is not closed, or a nested section
     */
    static Template parse(String source, Set<String> names, Map<String, Set<String>> sections) {
        List<Node> top = new ArrayList<>();
        List<Node> current = top;
        String open = null;
        Matcher m = TAG.matcher(source);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                current.add(new Literal(source.substring(at, m.start())));
            }
            at = m.end();
            String kind = m.group(1);
            String name = m.group(2);
            if (kind.isEmpty()) {
                boolean known = names.contains(name)
                        || (open != null && sections.get(open).contains(name));
                if (!known) {
                    throw new IllegalArgumentException(
                            "unknown placeholder {{" + name + "}}" + (open == null ? "" : " in section " + open));
                }
                current.add(new Value(name));
                continue;
            }
            if (kind.equals("#")) {
                if (open != null) {
                    throw new IllegalArgumentException("sections do not nest: {{#" + name + "}} inside " + open);
                }
                if (!sections.containsKey(name)) {
                    throw new IllegalArgumentException("unknown section {{#" + name + "}}");
                }
                open = name;
                List<Node> body = new ArrayList<>();
                top.add(new Section(name, body));
                current = body;
            } else {
                if (!name.equals(open)) {
                    throw new IllegalArgumentException("{{/" + name + "}} closes no open section");
                }
                open = null;
                current = top;
            }
            at = skipNewline(source, at);
        }
        if (open != null) {
            throw new IllegalArgumentException("section " + open + " is not closed");
        }
        if (at < source.length()) {
            current.add(new Literal(source.substring(at)));
        }
        return new Template(List.copyOf(top));
    }

    private static int skipNewline(String s, int at) {
        if (s.startsWith("\r\n", at)) {
            return at + 2;
        }
        return s.startsWith("\n", at) ? at + 1 : at;
    }

    /**
     * Renders the template; every value goes through {@code escape} (HTML escaping for an HTML template, identity for
     * text), literal template text does not.
     */
    String render(
            Map<String, String> values, Map<String, List<Map<String, String>>> lists, UnaryOperator<String> escape) {
        StringBuilder out = new StringBuilder();
        for (Node n : nodes) {
            if (n instanceof Section s) {
                for (Map<String, String> item : lists.getOrDefault(s.name(), List.of())) {
                    for (Node inner : s.body()) {
                        append(out, inner, item, values, escape);
                    }
                }
            } else {
                append(out, n, Map.of(), values, escape);
            }
        }
        return out.toString();
    }

    private static void append(
            StringBuilder out,
            Node n,
            Map<String, String> item,
            Map<String, String> values,
            UnaryOperator<String> escape) {
        if (n instanceof Literal l) {
            out.append(l.text());
        } else if (n instanceof Value v) {
            String value = item.containsKey(v.name()) ? item.get(v.name()) : values.get(v.name());
            out.append(escape.apply(value == null ? "" : value));
        }
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
