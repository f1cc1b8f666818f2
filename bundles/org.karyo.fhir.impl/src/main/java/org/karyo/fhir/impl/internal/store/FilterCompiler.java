package org.karyo.fhir.impl.internal.store;

import java.util.ArrayList;
import java.util.List;
import org.karyo.fhir.api.FhirException;

/**
 * The part of FHIR's {@code _filter} language that Cohort360 sends (its query format §3.1): comparisons
 * {@code param op value} of search parameters (chains allowed: {@code context.period-start}), joined by {@code and},
 * {@code or}, {@code not} and parentheses; {@code not (P eq "*")} means "P has no value". Operators {@code eq ne gt lt
 * ge le sa eb ap} map to the search prefixes, {@code co}/{@code sw}/{@code ew} to string matches, {@code pr} to
 * presence. Anything else is a 400 naming it.
 */
final class FilterCompiler {
    private final SearchCompiler search;
    private final String type;
    private final String alias;
    private final List<Object> out;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    FilterCompiler(SearchCompiler search, String type, String alias, List<Object> out) {
        this.search = search;
        this.type = type;
        this.alias = alias;
        this.out = out;
    }

    String compile(String filter) {
        lex(filter);
        String sql = or();
        if (pos != tokens.size()) {
            throw bad("unexpected '" + tokens.get(pos) + "'");
        }
        return sql;
    }

    private String or() {
        String left = and();
        while (peek("or")) {
            pos++;
            left = "(" + left + " OR " + and() + ")";
        }
        return left;
    }

    private String and() {
        String left = unary();
        while (peek("and")) {
            pos++;
            left = "(" + left + " AND " + unary() + ")";
        }
        return left;
    }

    private String unary() {
        if (peek("not")) {
            pos++;
            return "NOT " + unary();
        }
        if (peek("(")) {
            pos++;
            String inner = or();
            expect(")");
            return "(" + inner + ")";
        }
        return comparison();
    }

    private String comparison() {
        String path = next();
        String op = next().toLowerCase(java.util.Locale.ROOT);
        if (op.equals("pr")) {
            String v = next();
            return condition(path + ":missing", "true".equals(v) ? "false" : "true");
        }
        String value = next();
        boolean quoted = value.startsWith("\"");
        if (quoted) {
            value = value.substring(1, value.length() - 1);
        }
        if (op.equals("eq") && quoted && value.equals("*")) {
            return condition(path + ":missing", "false");
        }
        return switch (op) {
            case "eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap" -> condition(path, prefixed(path, op, value));
            case "co" -> condition(path + ":contains", value);
            case "sw" -> condition(path, value);
            default -> throw bad("the operator '" + op + "' is not supported");
        };
    }

    /** Dates and numbers take the prefix; tokens and strings only eq/ne. */
    private static String prefixed(String path, String op, String value) {
        if (op.equals("eq")) {
            return value;
        }
        return op + value;
    }

    private String condition(String name, String value) {
        List<String> unknown = new ArrayList<>();
        String c = search.condition(type, name, value, alias, out, unknown);
        if (c == null) {
            throw bad("unknown search parameter '" + name.replace(":missing", "") + "'");
        }
        return c;
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(t);
    }

    private void expect(String t) {
        if (!peek(t)) {
            throw bad("'" + t + "' expected");
        }
        pos++;
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw bad("the expression ends too early");
        }
        return tokens.get(pos++);
    }

    private void lex(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw bad("a quoted value is not closed");
                }
                tokens.add(s.substring(i, end + 1));
                i = end + 1;
            } else {
                int start = i;
                while (i < s.length()
                        && !Character.isWhitespace(s.charAt(i))
                        && s.charAt(i) != '('
                        && s.charAt(i) != ')') {
                    i++;
                }
                tokens.add(s.substring(start, i));
            }
        }
    }

    private static FhirException bad(String why) {
        return FhirException.badRequest("_filter", "_filter: " + why);
    }
}
