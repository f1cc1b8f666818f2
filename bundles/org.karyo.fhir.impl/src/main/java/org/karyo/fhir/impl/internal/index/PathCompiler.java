package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.StringType;
import org.karyo.fhir.impl.internal.index.Nodes.Node;

/**
 * Compiles the FHIRPath subset that search parameters use into a {@link CompiledPath}.
 *
 * <p>The subset: paths of element names (a choice element by its name without {@code [x]}), a type name as first
 * step ({@code Observation.code}, {@code Resource.meta.tag}), indexers with a literal ({@code entry[0]}), {@code |},
 * {@code and}, {@code or}, {@code =}, {@code !=}, {@code is}, {@code as}, string/number/boolean literals, {@code {}},
 * {@code $this}, {@code %resource}, {@code %rootResource}, {@code %context}, and the functions {@code where},
 * {@code select}, {@code exists}, {@code empty}, {@code not}, {@code first}, {@code last}, {@code tail}, {@code
 * single}, {@code count}, {@code distinct}, {@code hasValue}, {@code ofType}, {@code as}, {@code is}, {@code
 * extension(url)}, {@code trace} (no effect) and {@code resolve()} followed by a type test ({@code resolve() is
 * Patient}, {@code resolve().is(Patient)}), answered from the reference itself without reading anything. Anything
 * else raises an {@link UnsupportedExpressionException} naming it.
 *
 * <p>Compiling for a resource type drops the union branches that name another resource type, so the shared R5
 * expressions ({@code Account.identifier | AdverseEvent.identifier | …}) cost one branch at evaluation.
 */
public final class PathCompiler {
    private static final Set<String> ABSTRACT_TYPES =
            Set.of("Resource", "DomainResource", "CanonicalResource", "MetadataResource");
    private static final Map<String, String> SYSTEM_TYPES = Map.of(
            "Boolean", "boolean",
            "String", "string",
            "Integer", "integer",
            "Decimal", "decimal",
            "Date", "date",
            "DateTime", "dateTime",
            "Time", "time");

    private PathCompiler() {}

    /** Compiles an expression for any focus. */
    public static CompiledPath compile(String expression) {
        return compile(expression, null);
    }

    /**
     * Compiles an expression evaluated on resources of {@code resourceType} (null: any), dropping the branches that
     * cannot apply to that type.
     */
    public static CompiledPath compile(String expression, String resourceType) {
        if (expression == null || expression.isBlank()) {
            return new CompiledPath(expression == null ? "" : expression, resourceType, Nodes.EMPTY);
        }
        Ast ast = new Parser(expression).parseAll();
        Node node = new Builder(resourceType).build(ast, resourceType);
        return new CompiledPath(expression, resourceType, node);
    }

    // ------------------------------------------------------------------ lexer

    private enum Kind {
        IDENT,
        STRING,
        NUMBER,
        VAR,
        CONST,
        OP,
        EOF
    }

    private record Token(Kind kind, String text, int pos, boolean quoted) {}

    private static final class Lexer {
        final String src;
        int pos;

        Lexer(String src) {
            this.src = src;
        }

        UnsupportedExpressionException error(int at, String what) {
            return UnsupportedExpressionException.syntax(src, at, what);
        }

        Token next() {
            skipSpace();
            int n = src.length();
            if (pos >= n) {
                return new Token(Kind.EOF, "", pos, false);
            }
            int start = pos;
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                return new Token(Kind.IDENT, src.substring(start, pos), start, false);
            }
            if (c == '`') {
                return new Token(Kind.IDENT, quoted('`'), start, true);
            }
            if (c == '\'') {
                return new Token(Kind.STRING, quoted('\''), start, true);
            }
            if (Character.isDigit(c)) {
                while (pos < n && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                if (pos + 1 < n && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
                    pos++;
                    while (pos < n && Character.isDigit(src.charAt(pos))) {
                        pos++;
                    }
                }
                return new Token(Kind.NUMBER, src.substring(start, pos), start, false);
            }
            if (c == '$') {
                pos++;
                while (pos < n && Character.isLetterOrDigit(src.charAt(pos))) {
                    pos++;
                }
                return new Token(Kind.VAR, src.substring(start, pos), start, false);
            }
            if (c == '%') {
                pos++;
                if (pos < n && (src.charAt(pos) == '`' || src.charAt(pos) == '\'')) {
                    return new Token(Kind.CONST, "%" + quoted(src.charAt(pos)), start, false);
                }
                while (pos < n
                        && (Character.isLetterOrDigit(src.charAt(pos))
                                || src.charAt(pos) == '_'
                                || src.charAt(pos) == '-')) {
                    pos++;
                }
                return new Token(Kind.CONST, src.substring(start, pos), start, false);
            }
            if (c == '@') {
                pos++;
                while (pos < n && "0123456789-:.TZ+".indexOf(src.charAt(pos)) >= 0) {
                    pos++;
                }
                throw new UnsupportedExpressionException(
                        "unsupported FHIRPath literal '" + src.substring(start, pos) + "'", src.substring(start, pos));
            }
            if (pos + 1 < n) {
                String two = src.substring(pos, pos + 2);
                if (two.equals("!=") || two.equals("!~") || two.equals("<=") || two.equals(">=")) {
                    pos += 2;
                    return new Token(Kind.OP, two, start, false);
                }
            }
            if ("().[],|=~<>+-*/&{}".indexOf(c) >= 0) {
                pos++;
                return new Token(Kind.OP, String.valueOf(c), start, false);
            }
            throw error(start, "unexpected character '" + c + "'");
        }

        private void skipSpace() {
            int n = src.length();
            while (pos < n) {
                char c = src.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '/' && pos + 1 < n && src.charAt(pos + 1) == '/') {
                    while (pos < n && src.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '/' && pos + 1 < n && src.charAt(pos + 1) == '*') {
                    int end = src.indexOf("*/", pos + 2);
                    if (end < 0) {
                        throw error(pos, "unterminated comment");
                    }
                    pos = end + 2;
                } else {
                    return;
                }
            }
        }

        private String quoted(char q) {
            int start = pos;
            pos++;
            StringBuilder b = new StringBuilder();
            int n = src.length();
            while (pos < n) {
                char c = src.charAt(pos++);
                if (c == q) {
                    return b.toString();
                }
                if (c == '\\') {
                    if (pos >= n) {
                        break;
                    }
                    char e = src.charAt(pos++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (pos + 4 > n) {
                                throw error(pos, "bad unicode escape");
                            }
                            try {
                                b.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw error(pos, "bad unicode escape");
                            }
                            pos += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw error(start, "unterminated " + (q == '\'' ? "string" : "identifier"));
        }
    }

    // ------------------------------------------------------------------ syntax tree

    private sealed interface Ast permits Ident, Lit, Var, Call, Invoke, Indexer, Bin, TypeOp, Unary, EmptyColl {}

    private record Ident(String name, int pos) implements Ast {}

    private record Lit(Base value, String text) implements Ast {}

    private record Var(String name, int pos) implements Ast {}

    private record Call(String name, List<Ast> args, int pos) implements Ast {}

    private record Invoke(Ast target, Ast member) implements Ast {}

    private record Indexer(Ast target, Ast index, int pos) implements Ast {}

    private record Bin(String op, Ast left, Ast right, int pos) implements Ast {}

    private record TypeOp(String op, Ast left, String type, int pos) implements Ast {}

    private record Unary(String op, Ast operand, int pos) implements Ast {}

    private record EmptyColl() implements Ast {}

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        final Lexer lexer;
        final String src;
        Token tok;

        Parser(String src) {
            this.src = src;
            this.lexer = new Lexer(src);
            this.tok = lexer.next();
        }

        Ast parseAll() {
            Ast a = expression();
            if (tok.kind() != Kind.EOF) {
                throw lexer.error(tok.pos(), "unexpected '" + tok.text() + "'");
            }
            return a;
        }

        private void advance() {
            tok = lexer.next();
        }

        private boolean isOp(String op) {
            return tok.kind() == Kind.OP && tok.text().equals(op);
        }

        private boolean isWord(String w) {
            return tok.kind() == Kind.IDENT && !tok.quoted() && tok.text().equals(w);
        }

        private void expect(String op) {
            if (!isOp(op)) {
                throw lexer.error(tok.pos(), "expected '" + op + "' but found '" + tok.text() + "'");
            }
            advance();
        }

        Ast expression() {
            return implies();
        }

        private Ast implies() {
            Ast l = orExpr();
            while (isWord("implies")) {
                int p = tok.pos();
                advance();
                l = new Bin("implies", l, orExpr(), p);
            }
            return l;
        }

        private Ast orExpr() {
            Ast l = andExpr();
            while (isWord("or") || isWord("xor")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, andExpr(), p);
            }
            return l;
        }

        private Ast andExpr() {
            Ast l = membership();
            while (isWord("and")) {
                int p = tok.pos();
                advance();
                l = new Bin("and", l, membership(), p);
            }
            return l;
        }

        private Ast membership() {
            Ast l = equality();
            while (isWord("in") || isWord("contains")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, equality(), p);
            }
            return l;
        }

        private Ast equality() {
            Ast l = inequality();
            while (isOp("=") || isOp("!=") || isOp("~") || isOp("!~")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, inequality(), p);
            }
            return l;
        }

        private Ast inequality() {
            Ast l = union();
            while (isOp("<") || isOp(">") || isOp("<=") || isOp(">=")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, union(), p);
            }
            return l;
        }

        private Ast union() {
            Ast l = typeExpr();
            while (isOp("|")) {
                int p = tok.pos();
                advance();
                l = new Bin("|", l, typeExpr(), p);
            }
            return l;
        }

        private Ast typeExpr() {
            Ast l = additive();
            while (isWord("is") || isWord("as")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new TypeOp(op, l, typeSpecifier(), p);
            }
            return l;
        }

        private String typeSpecifier() {
            if (tok.kind() != Kind.IDENT) {
                throw lexer.error(tok.pos(), "expected a type name but found '" + tok.text() + "'");
            }
            StringBuilder b = new StringBuilder(tok.text());
            advance();
            while (isOp(".")) {
                advance();
                if (tok.kind() != Kind.IDENT) {
                    throw lexer.error(tok.pos(), "expected a type name but found '" + tok.text() + "'");
                }
                b.append('.').append(tok.text());
                advance();
            }
            return b.toString();
        }

        private Ast additive() {
            Ast l = multiplicative();
            while (isOp("+") || isOp("-") || isOp("&")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, multiplicative(), p);
            }
            return l;
        }

        private Ast multiplicative() {
            Ast l = unary();
            while (isOp("*") || isOp("/") || isWord("div") || isWord("mod")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                l = new Bin(op, l, unary(), p);
            }
            return l;
        }

        private Ast unary() {
            if (isOp("+") || isOp("-")) {
                String op = tok.text();
                int p = tok.pos();
                advance();
                return new Unary(op, unary(), p);
            }
            return invocationExpr();
        }

        private Ast invocationExpr() {
            Ast t = term();
            while (true) {
                if (isOp(".")) {
                    advance();
                    t = new Invoke(t, invocation());
                } else if (isOp("[")) {
                    int p = tok.pos();
                    advance();
                    Ast idx = expression();
                    expect("]");
                    t = new Indexer(t, idx, p);
                } else {
                    return t;
                }
            }
        }

        private Ast term() {
            Token t = tok;
            switch (t.kind()) {
                case STRING -> {
                    advance();
                    return new Lit(new StringType(t.text()), "'" + t.text() + "'");
                }
                case NUMBER -> {
                    advance();
                    if (tok.kind() == Kind.STRING || (tok.kind() == Kind.IDENT && isCalendarUnit(tok.text()))) {
                        throw new UnsupportedExpressionException(
                                "unsupported FHIRPath literal '" + t.text() + " " + tok.text() + "' (quantity)",
                                t.text() + " " + tok.text());
                    }
                    Base v = t.text().indexOf('.') >= 0
                            ? new DecimalType(new BigDecimal(t.text()))
                            : integer(t.text(), t.pos());
                    return new Lit(v, t.text());
                }
                case VAR -> {
                    advance();
                    return new Var(t.text(), t.pos());
                }
                case CONST -> {
                    advance();
                    return new Var(t.text(), t.pos());
                }
                case OP -> {
                    if (t.text().equals("(")) {
                        advance();
                        Ast e = expression();
                        expect(")");
                        return e;
                    }
                    if (t.text().equals("{")) {
                        advance();
                        expect("}");
                        return new EmptyColl();
                    }
                    throw lexer.error(t.pos(), "unexpected '" + t.text() + "'");
                }
                case IDENT -> {
                    if (!t.quoted() && (t.text().equals("true") || t.text().equals("false"))) {
                        advance();
                        return new Lit(new BooleanType(t.text().equals("true")), t.text());
                    }
                    return invocation();
                }
                default -> throw lexer.error(t.pos(), "unexpected end of expression");
            }
        }

        private Base integer(String text, int pos) {
            try {
                return new IntegerType(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw lexer.error(pos, "integer out of range");
            }
        }

        private Ast invocation() {
            Token t = tok;
            if (t.kind() == Kind.VAR) {
                advance();
                return new Var(t.text(), t.pos());
            }
            if (t.kind() != Kind.IDENT) {
                throw lexer.error(t.pos(), "expected a name but found '" + t.text() + "'");
            }
            advance();
            if (!t.quoted() && isOp("(")) {
                advance();
                List<Ast> args = new ArrayList<>();
                if (!isOp(")")) {
                    args.add(expression());
                    while (isOp(",")) {
                        advance();
                        args.add(expression());
                    }
                }
                expect(")");
                return new Call(t.text(), args, t.pos());
            }
            return new Ident(t.text(), t.pos());
        }

        private static boolean isCalendarUnit(String s) {
            return switch (s) {
                case "year",
                        "years",
                        "month",
                        "months",
                        "week",
                        "weeks",
                        "day",
                        "days",
                        "hour",
                        "hours",
                        "minute",
                        "minutes",
                        "second",
                        "seconds",
                        "millisecond",
                        "milliseconds" -> true;
                default -> false;
            };
        }
    }

    // ------------------------------------------------------------------ builder

    private static final class Builder {
        final String resourceType;
        final Set<String> resourceTypeNames;
        final RuntimeResourceDefinition definition;

        Builder(String resourceType) {
            this.resourceType = resourceType;
            Set<String> names = null;
            RuntimeResourceDefinition def = null;
            if (resourceType != null) {
                try {
                    def = FhirContext.forR5Cached().getResourceDefinition(resourceType);
                    names = Nodes.typeNames(def.getImplementingClass());
                } catch (RuntimeException e) {
                    names = null; // not an R5 resource type: no static pruning
                    def = null;
                }
            }
            this.resourceTypeNames = names;
            this.definition = def;
        }

        /** Whether the resource type is known not to have an element of that name. */
        private boolean lacksElement(String name) {
            return definition != null
                    && definition.getChildByName(name) == null
                    && definition.getChildByName(name + "[x]") == null;
        }

        /** Builds an expression evaluated on a focus whose type is {@code focusType} (null: unknown). */
        Node build(Ast a, String focusType) {
            if (a instanceof Bin b) {
                return binary(b, focusType);
            }
            if (a instanceof TypeOp t) {
                String type = typeName(t.type());
                if (t.op().equals("is")) {
                    List<Ast> path = flatten(t.left());
                    if (path.get(path.size() - 1) instanceof Call c && c.name().equals("resolve")) {
                        checkArgs(c, 0);
                        Node source =
                                path.size() == 1 ? Nodes.THIS : chain(path.subList(0, path.size() - 1), focusType);
                        return then(source, new Nodes.ResolveIs(type));
                    }
                    return then(build(t.left(), focusType), new Nodes.Is(type));
                }
                return then(build(t.left(), focusType), new Nodes.OfType(type));
            }
            if (a instanceof Unary u) {
                throw UnsupportedExpressionException.operator(u.op());
            }
            if (a instanceof EmptyColl) {
                return Nodes.EMPTY;
            }
            return chain(flatten(a), focusType);
        }

        private Node binary(Bin b, String focusType) {
            switch (b.op()) {
                case "|" -> {
                    List<Node> branches = new ArrayList<>();
                    collectUnion(b, focusType, branches);
                    if (branches.isEmpty()) {
                        return Nodes.EMPTY;
                    }
                    if (branches.size() == 1) {
                        return branches.get(0);
                    }
                    return new Nodes.Union(branches.toArray(new Node[0]));
                }
                case "and", "or" -> {
                    return new Nodes.Logic(
                            build(b.left(), focusType), build(b.right(), focusType), b.op().equals("and"));
                }
                case "=", "!=" -> {
                    return new Nodes.Equals(
                            build(b.left(), focusType), build(b.right(), focusType), b.op().equals("!="));
                }
                default -> throw UnsupportedExpressionException.operator(b.op());
            }
        }

        private void collectUnion(Ast a, String focusType, List<Node> out) {
            if (a instanceof Bin b && b.op().equals("|")) {
                collectUnion(b.left(), focusType, out);
                collectUnion(b.right(), focusType, out);
                return;
            }
            Node n = build(a, focusType);
            if (n.isEmpty()) {
                return;
            }
            if (n instanceof Nodes.Union u) {
                out.addAll(List.of(u.branches));
            } else {
                out.add(n);
            }
        }

        /** The steps of a path: {@code a.b.c(x)[0]} → [a, b, c(x), [0]]. */
        private static List<Ast> flatten(Ast a) {
            List<Ast> steps = new ArrayList<>();
            flattenInto(a, steps);
            return steps;
        }

        private static void flattenInto(Ast a, List<Ast> steps) {
            if (a instanceof Invoke i) {
                flattenInto(i.target(), steps);
                steps.add(i.member());
            } else if (a instanceof Indexer x) {
                flattenInto(x.target(), steps);
                steps.add(x);
            } else {
                steps.add(a);
            }
        }

        private Node chain(List<Ast> path, String focusType) {
            Node current;
            int from = 1;
            if (path.get(0) instanceof Call c && c.name().equals("resolve")) {
                current = Nodes.THIS; // 'resolve().is(T)' on the focus
                from = 0;
            } else {
                current = first(path.get(0), focusType);
            }
            for (int i = from; i < path.size(); i++) {
                if (current.isEmpty()) {
                    return Nodes.EMPTY;
                }
                Ast step = path.get(i);
                if (step instanceof Call c && c.name().equals("resolve")) {
                    checkArgs(c, 0);
                    if (i + 1 < path.size()
                            && path.get(i + 1) instanceof Call next
                            && next.name().equals("is")) {
                        checkArgs(next, 1);
                        current = then(current, new Nodes.ResolveIs(typeName(typeArg(next))));
                        i++;
                        continue;
                    }
                    throw resolveUnsupported();
                }
                current = then(current, member(step));
            }
            return current;
        }

        /** The first step of a path, evaluated on the focus. */
        private Node first(Ast a, String focusType) {
            if (a instanceof Ident id) {
                String name = id.name();
                if (Character.isUpperCase(name.charAt(0))) {
                    if (focusType != null && focusType.equals(resourceType) && resourceTypeNames != null) {
                        if (resourceTypeNames.contains(name)) {
                            return Nodes.THIS;
                        }
                        if (isKnownType(name)) {
                            return Nodes.EMPTY;
                        }
                    }
                    return new Nodes.TypeFilter(name);
                }
                if (focusType != null && focusType.equals(resourceType) && lacksElement(name)) {
                    return Nodes.EMPTY; // e.g. '(start | requestedPeriod.start).first()' on an Observation
                }
                return new Nodes.Child(name);
            }
            if (a instanceof Lit l) {
                return new Nodes.Literal(l.value(), l.text());
            }
            if (a instanceof Var v) {
                return variable(v);
            }
            if (a instanceof Call c) {
                if (c.name().equals("resolve")) {
                    throw resolveUnsupported();
                }
                return function(c);
            }
            if (a instanceof Indexer) {
                throw UnsupportedExpressionException.syntax("", 0, "indexer without a target");
            }
            return build(a, focusType);
        }

        /** A step after a dot (or an indexer). */
        private Node member(Ast a) {
            if (a instanceof Ident id) {
                String name = id.name();
                return Character.isUpperCase(name.charAt(0)) ? new Nodes.TypeFilter(name) : new Nodes.Child(name);
            }
            if (a instanceof Call c) {
                return function(c);
            }
            if (a instanceof Indexer x) {
                if (x.index() instanceof Lit l && l.value() instanceof IntegerType it) {
                    return new Nodes.Index(it.getValue());
                }
                throw new UnsupportedExpressionException(
                        "unsupported FHIRPath indexer (only a literal integer index is supported)", "[]");
            }
            if (a instanceof Var v) {
                return variable(v);
            }
            throw new UnsupportedExpressionException("unsupported FHIRPath construct", null);
        }

        private Node variable(Var v) {
            return switch (v.name()) {
                case "$this" -> Nodes.THIS;
                case "%resource", "%rootResource", "%context" -> Nodes.RESOURCE;
                default -> throw new UnsupportedExpressionException(
                        "unsupported FHIRPath variable '" + v.name() + "'", v.name());
            };
        }

        private Node function(Call c) {
            String name = c.name();
            switch (name) {
                case "where" -> {
                    checkArgs(c, 1);
                    return new Nodes.Where(build(c.args().get(0), null));
                }
                case "select" -> {
                    checkArgs(c, 1);
                    return new Nodes.Select(build(c.args().get(0), null));
                }
                case "exists" -> {
                    if (c.args().isEmpty()) {
                        return new Nodes.Function(Nodes.Fn.EXISTS);
                    }
                    checkArgs(c, 1);
                    return new Nodes.ExistsWhere(build(c.args().get(0), null));
                }
                case "empty" -> {
                    return simple(c, Nodes.Fn.EMPTY);
                }
                case "not" -> {
                    return simple(c, Nodes.Fn.NOT);
                }
                case "first" -> {
                    return simple(c, Nodes.Fn.FIRST);
                }
                case "last" -> {
                    return simple(c, Nodes.Fn.LAST);
                }
                case "tail" -> {
                    return simple(c, Nodes.Fn.TAIL);
                }
                case "single" -> {
                    return simple(c, Nodes.Fn.SINGLE);
                }
                case "count" -> {
                    return simple(c, Nodes.Fn.COUNT);
                }
                case "distinct" -> {
                    return simple(c, Nodes.Fn.DISTINCT);
                }
                case "hasValue" -> {
                    return simple(c, Nodes.Fn.HAS_VALUE);
                }
                case "ofType", "as" -> {
                    checkArgs(c, 1);
                    return new Nodes.OfType(typeName(typeArg(c)));
                }
                case "is" -> {
                    checkArgs(c, 1);
                    return new Nodes.Is(typeName(typeArg(c)));
                }
                case "extension" -> {
                    checkArgs(c, 1);
                    if (c.args().get(0) instanceof Lit l && l.value() instanceof StringType s) {
                        return new Nodes.ExtensionByUrl(s.getValue());
                    }
                    throw new UnsupportedExpressionException(
                            "unsupported FHIRPath function 'extension' with a non-literal url", "extension");
                }
                case "trace" -> {
                    return Nodes.THIS;
                }
                default -> throw UnsupportedExpressionException.function(name);
            }
        }

        private static Node simple(Call c, Nodes.Fn fn) {
            checkArgs(c, 0);
            return new Nodes.Function(fn);
        }

        private static void checkArgs(Call c, int n) {
            if (c.args().size() != n) {
                throw new UnsupportedExpressionException(
                        "FHIRPath function '" + c.name() + "' takes " + n + " argument" + (n == 1 ? "" : "s")
                                + " but has " + c.args().size(),
                        c.name());
            }
        }

        private static String typeArg(Call c) {
            Ast a = c.args().get(0);
            if (a instanceof Ident id) {
                return id.name();
            }
            if (a instanceof Invoke i && i.target() instanceof Ident q && i.member() instanceof Ident n) {
                return q.name() + "." + n.name();
            }
            throw new UnsupportedExpressionException(
                    "FHIRPath function '" + c.name() + "' needs a type name", c.name());
        }

        private static String typeName(String t) {
            if (t.startsWith("FHIR.")) {
                return t.substring(5);
            }
            if (t.startsWith("System.")) {
                String s = SYSTEM_TYPES.get(t.substring(7));
                return s == null ? t.substring(7).toLowerCase(Locale.ROOT) : s;
            }
            return t;
        }

        private static UnsupportedExpressionException resolveUnsupported() {
            return new UnsupportedExpressionException(
                    "unsupported FHIRPath function 'resolve' (only 'resolve() is <type>' is supported)", "resolve");
        }

        private static boolean isKnownType(String name) {
            if (ABSTRACT_TYPES.contains(name)) {
                return true;
            }
            try {
                return FhirContext.forR5Cached().getResourceTypes().contains(name);
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** {@code source} followed by {@code step}. */
        private static Node then(Node source, Node step) {
            if (source.isEmpty() && step.emptyForEmpty()) {
                return Nodes.EMPTY;
            }
            if (source.isIdentity()) {
                return step;
            }
            if (step.isIdentity()) {
                return source;
            }
            if (source instanceof Nodes.Chain c) {
                Node[] steps = java.util.Arrays.copyOf(c.steps, c.steps.length + 1);
                steps[c.steps.length] = step;
                return new Nodes.Chain(steps);
            }
            if (source instanceof Nodes.Child || source instanceof Nodes.TypeFilter) {
                return new Nodes.Chain(new Node[] {source, step});
            }
            return new Nodes.Apply(source, step);
        }
    }
}
