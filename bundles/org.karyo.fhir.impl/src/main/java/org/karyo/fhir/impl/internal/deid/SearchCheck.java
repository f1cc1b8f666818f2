package org.karyo.fhir.impl.internal.deid;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Extension;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Action;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Kind;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Rule;

/**
 * Whether a search parameter reads only what a pseudonymised reader sees: a static analysis of its FHIRPath expression
 * over HAPI's model definitions and the profile's decisions.
 *
 * <p>The expression is parsed (the whole FHIRPath grammar; the functions search parameters use: {@code where},
 * {@code exists}, {@code empty}, {@code ofType}, {@code as}, {@code is}, {@code resolve}, {@code extension},
 * {@code first}, …), then evaluated over types instead of values: each step yields the elements it may reach, with
 * what the profile does to them. The parameter is refused when it
 *
 * <ul>
 *   <li>reaches an element the profile removes, in any way (indexed, compared, filtered on, tested for existence);
 *   <li>indexes or compares an element the profile transforms (a date reduced, an identifier pseudonymised): such an
 *       element may only be navigated through or tested for existence ({@code Patient.deceased.exists() and
 *       Patient.deceased != false} compares the booleans only, so {@code deceased} stays searchable);
 *   <li>indexes a datatype one of whose read children ({@code reads} lines of the profile) is removed or transformed
 *       ({@code Patient.identifier}: the value is pseudonymised; {@code Patient.address}: lines are removed);
 *   <li>uses a construct the analysis does not know.
 * </ul>
 *
 * Branches of a union for another resource type ({@code Person.birthDate} in Patient's {@code birthdate}) are ignored.
 */
final class SearchCheck {

    private static final Map<String, Optional<String>> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 20_000;
    private static final Map<BaseRuntimeElementDefinition<?>, String> TYPE_NAMES = new ConcurrentHashMap<>();
    private static final Set<String> RESOURCE_TYPES = resourceTypes();

    private SearchCheck() {}

    private static Set<String> resourceTypes() {
        Set<String> types = new HashSet<>(Deidentifier.FHIR.getResourceTypes());
        types.add("Resource");
        types.add("DomainResource");
        return Set.copyOf(types);
    }

    /**
     * Why a parameter of HAPI's model (or one built like them) is not searchable by a pseudonymised reader, or empty
     * when it is. A composite parameter is searchable when its base expression reaches kept elements and each of its
     * components (other parameters of the type, by URL) is searchable.
     */
    static Optional<String> refusal(DeidProfile profile, String type, RuntimeSearchParam param) {
        Objects.requireNonNull(param, "param");
        String code = param.getName();
        if (param.getParamType() != RestSearchParameterTypeEnum.COMPOSITE
                || profile.searchOverride(type, code).isPresent()) {
            return refusal(profile, type, code, param.getPath());
        }
        String name = "Search parameter " + type + "." + code;
        if (param.getComponents().isEmpty()) {
            return Optional.of(name + " is not available to pseudonymised readers: it has no components");
        }
        Optional<String> base = compute(profile, type, code, param.getPath(), true);
        if (base.isPresent()) {
            return base;
        }
        RuntimeResourceDefinition def = Deidentifier.FHIR.getResourceDefinition(type);
        for (RuntimeSearchParam.Component component : param.getComponents()) {
            RuntimeSearchParam target = null;
            for (RuntimeSearchParam candidate : def.getSearchParams()) {
                if (component.getReference() != null && component.getReference().equals(candidate.getUri())) {
                    target = candidate;
                }
            }
            if (target == null || target == param) {
                return Optional.of(name + " is not available to pseudonymised readers: its component "
                        + component.getReference() + " is not known");
            }
            Optional<String> refused = refusal(profile, type, target);
            if (refused.isPresent()) {
                return Optional.of(name + " is not available to pseudonymised readers: its component "
                        + target.getName() + " is not (" + refused.get() + ")");
            }
        }
        return Optional.empty();
    }

    /** Why the parameter is not searchable by a pseudonymised reader, or empty when it is. */
    static Optional<String> refusal(DeidProfile profile, String type, String code, String expression) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        String expr = expression == null ? "" : expression;
        if (profile != DeidProfile.standard()) {
            return compute(profile, type, code, expr, false);
        }
        String key = type + '\u0000' + code + '\u0000' + expr;
        Optional<String> cached = CACHE.get(key);
        if (cached == null) {
            cached = compute(profile, type, code, expr, false);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.put(key, cached);
            }
        }
        return cached;
    }

    /**
     * The analysis; {@code compositeBase}: the expression is a composite parameter's base, whose result (the resource,
     * a backbone element) is not indexed itself, its components are.
     */
    private static Optional<String> compute(
            DeidProfile profile, String type, String code, String expression, boolean compositeBase) {
        String param = "Search parameter " + type + "." + code;
        Optional<Boolean> explicit = profile.searchOverride(type, code);
        if (explicit.isPresent()) {
            return explicit.get()
                    ? Optional.empty()
                    : Optional.of(param + " is not available to pseudonymised readers");
        }
        if (expression.isBlank()) {
            return Optional.of(param + " is not available to pseudonymised readers: it has no expression the"
                    + " de-identification profile can check");
        }
        RuntimeResourceDefinition def;
        try {
            def = Deidentifier.FHIR.getResourceDefinition(type);
        } catch (RuntimeException e) {
            return Optional.of("Unknown resource type " + type);
        }
        try {
            Expr ast = new Parser(expression).parse();
            Analysis analysis = new Analysis(profile, type, def, compositeBase);
            analysis.terminal(analysis.eval(ast, List.of(analysis.root)));
            return Optional.empty();
        } catch (Refused r) {
            return Optional.of(param + " is not available to pseudonymised readers: " + r.getMessage());
        }
    }

    /** The analysis says no; its message completes "Search parameter X.y …". */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The static evaluation

    private enum NodeKind {
        RESOURCE,
        ANY_RESOURCE,
        DATATYPE,
        BLOCK,
        PRIMITIVE,
        EXTENSION,
        /** a computed value (a boolean, a literal): reads nothing more */
        VALUE
    }

    /**
     * An element an expression may reach: its kind, FHIR type (the profile's context name), definition (composites),
     * what the profile does to it ({@link Action#KEEP}, {@link Action#DROP} or a transformation), its path for
     * messages, and for an extension its URL scope.
     */
    private record Node(
            NodeKind kind,
            String type,
            BaseRuntimeElementCompositeDefinition<?> def,
            Action status,
            String path,
            String extensionUrl) {

        static Node value(String type) {
            return new Node(NodeKind.VALUE, type, null, Action.KEEP, type, null);
        }
    }

    private static final class Analysis {
        private final DeidProfile profile;
        private final String type;
        private final Node root;
        private final boolean compositeBase;

        Analysis(DeidProfile profile, String type, RuntimeResourceDefinition def, boolean compositeBase) {
            this.profile = profile;
            this.type = type;
            this.compositeBase = compositeBase;
            this.root = new Node(NodeKind.RESOURCE, type, def, Action.KEEP, type, null);
        }

        List<Node> eval(Expr e, List<Node> focus) {
            if (e instanceof Literal l) {
                return List.of(Node.value(l.type()));
            }
            if (e instanceof This) {
                return focus;
            }
            if (e instanceof Var v) {
                return "resource".equals(v.name()) || "rootResource".equals(v.name())
                        ? List.of(root)
                        : List.of(Node.value("any"));
            }
            if (e instanceof Member m) {
                if (m.target() == null && RESOURCE_TYPES.contains(m.name())) {
                    return start(m.name());
                }
                return navigate(m.target() == null ? focus : eval(m.target(), focus), m.name());
            }
            if (e instanceof IndexExpr ix) {
                eval(ix.index(), focus);
                return eval(ix.target(), focus);
            }
            if (e instanceof Call c) {
                return call(c, c.target() == null ? focus : eval(c.target(), focus), focus);
            }
            if (e instanceof TypeExpr t) {
                List<Node> left = eval(t.left(), focus);
                if ("as".equals(t.op())) {
                    return ofType(left, t.type());
                }
                existence(left);
                return List.of(Node.value("boolean"));
            }
            if (e instanceof Negate n) {
                valueRead(eval(n.operand(), focus), null);
                return List.of(Node.value("number"));
            }
            return binary((Binary) e, focus);
        }

        /** A path starting with a type name: this resource, or a branch for another type (which reads nothing). */
        private List<Node> start(String name) {
            return name.equals(type) || "Resource".equals(name) || "DomainResource".equals(name)
                    ? List.of(root)
                    : List.of();
        }

        private List<Node> binary(Binary b, List<Node> focus) {
            List<Node> left = eval(b.left(), focus);
            List<Node> right = eval(b.right(), focus);
            switch (b.op()) {
                case "|" -> {
                    List<Node> both = new ArrayList<>(left);
                    both.addAll(right);
                    return both;
                }
                case "and", "or", "xor", "implies" -> {
                    valueRead(left, null);
                    valueRead(right, null);
                }
                case "=", "!=", "~", "!~", "<", ">", "<=", ">=" -> {
                    valueRead(left, literalType(right));
                    valueRead(right, literalType(left));
                }
                default -> {
                    valueRead(left, null);
                    valueRead(right, null);
                }
            }
            return List.of(Node.value("boolean"));
        }

        private List<Node> call(Call c, List<Node> input, List<Node> focus) {
            List<Expr> args = c.args();
            switch (c.name()) {
                case "where" -> {
                    for (Expr arg : args) {
                        valueRead(eval(arg, input), null);
                    }
                    return input;
                }
                case "select", "repeat" -> {
                    // a projection: what the argument reaches is the result (repeat: one level, the same types)
                    List<Node> out = new ArrayList<>();
                    for (Expr arg : args) {
                        out.addAll(eval(arg, input));
                    }
                    return out;
                }
                case "exists", "empty", "count", "hasValue", "all" -> {
                    for (Expr arg : args) {
                        valueRead(eval(arg, input), null);
                    }
                    existence(input);
                    return List.of(Node.value("boolean"));
                }
                case "not", "allTrue", "anyTrue", "allFalse", "anyFalse" -> {
                    valueRead(input, null);
                    return List.of(Node.value("boolean"));
                }
                case "first", "last", "single", "tail", "distinct", "skip", "take", "trace" -> {
                    for (Expr arg : args) {
                        eval(arg, focus);
                    }
                    return input;
                }
                case "ofType", "as" -> {
                    return ofType(input, typeArgument(c));
                }
                case "is" -> {
                    typeArgument(c);
                    existence(input);
                    return List.of(Node.value("boolean"));
                }
                case "resolve" -> {
                    existence(input);
                    return input.isEmpty()
                            ? List.of()
                            : List.of(
                                    new Node(NodeKind.ANY_RESOURCE, "Resource", null, Action.KEEP, "resolve()", null));
                }
                case "extension" -> {
                    if (args.size() != 1 || !(args.get(0) instanceof Literal url) || url.value() == null) {
                        throw new Refused("it uses extension() without a literal URL");
                    }
                    return extension(input, url.value());
                }
                default -> throw new Refused(
                        "it uses " + c.name() + "(), which the de-identification check does not support");
            }
        }

        private List<Node> extension(List<Node> input, String url) {
            List<Node> out = new ArrayList<>();
            for (Node n : input) {
                if (n.kind() == NodeKind.VALUE) {
                    continue;
                }
                String path = n.path() + ".extension('" + url + "')";
                boolean sub = n.kind() == NodeKind.EXTENSION;
                boolean allowed = n.status() != Action.DROP
                        && (sub ? profile.subExtensionAllowed(n.extensionUrl(), url) : profile.extensionAllowed(url));
                out.add(new Node(
                        NodeKind.EXTENSION,
                        "Extension",
                        extensionDefinition(),
                        allowed ? Action.KEEP : Action.DROP,
                        path,
                        sub ? n.extensionUrl() + "|" + url : url));
            }
            return out;
        }

        private List<Node> navigate(List<Node> input, String name) {
            List<Node> out = new ArrayList<>();
            for (Node n : input) {
                String path = n.path() + "." + name;
                if (n.status() == Action.DROP) {
                    // whatever lies under a removed element is removed too
                    out.add(new Node(NodeKind.DATATYPE, "*", null, Action.DROP, path, null));
                    continue;
                }
                switch (n.kind()) {
                    case VALUE, PRIMITIVE -> {
                        // primitives and computed values have no children a search parameter reads
                    }
                    case ANY_RESOURCE -> throw new Refused(
                            "it navigates into a resolved resource (" + path + "), which the check cannot follow");
                    case RESOURCE, DATATYPE, BLOCK, EXTENSION -> children(n, name, path, out);
                }
            }
            return out;
        }

        /** The element {@code name} of {@code n}, one node per type it may have. */
        private void children(Node n, String name, String path, List<Node> out) {
            BaseRuntimeChildDefinition child = n.def().getChildByName(name);
            if (child == null) {
                child = n.def().getChildByName(name + "[x]");
            }
            if (child == null) {
                return; // not an element of this type: FHIRPath yields nothing, nothing is read
            }
            String key = child.getElementName();
            if ("extension".equals(name) || "modifierExtension".equals(name)) {
                // extensions whatever their URL: some are removed
                out.add(new Node(NodeKind.EXTENSION, "Extension", extensionDefinition(), Action.DROP, path, null));
                return;
            }
            if (child instanceof RuntimeChildContainedResources) {
                out.add(new Node(NodeKind.ANY_RESOURCE, "Resource", null, Action.DROP, path, null));
                return;
            }
            if (child instanceof RuntimeChildDirectResource) {
                out.add(new Node(NodeKind.ANY_RESOURCE, "Resource", null, Action.KEEP, path, null));
                return;
            }
            Set<BaseRuntimeElementDefinition<?>> seen = new HashSet<>();
            for (String valid : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> cd = child.getChildByName(valid);
                if (cd == null || !seen.add(cd)) {
                    continue;
                }
                NodeKind kind;
                Kind profileKind;
                String childType;
                switch (cd.getChildType()) {
                    case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> {
                        kind = NodeKind.PRIMITIVE;
                        profileKind = Kind.PRIMITIVE;
                        childType = cd.getName();
                    }
                    case COMPOSITE_DATATYPE -> {
                        kind = NodeKind.DATATYPE;
                        profileKind = Kind.DATATYPE;
                        childType = typeName(cd);
                    }
                    case RESOURCE_BLOCK -> {
                        kind = NodeKind.BLOCK;
                        profileKind = Kind.BLOCK;
                        childType = typeName(cd);
                    }
                    default -> {
                        continue;
                    }
                }
                Rule rule = profile.decide(n.type(), key, childType, profileKind);
                Action effect = DeidProfile.effect(rule.action(), childType, profileKind);
                BaseRuntimeElementCompositeDefinition<?> composite =
                        cd instanceof BaseRuntimeElementCompositeDefinition<?> c ? c : null;
                out.add(new Node(kind, childType, composite, effect, path, null));
            }
        }

        private static List<Node> ofType(List<Node> input, String typeName) {
            String t = typeName.startsWith("FHIR.") ? typeName.substring(5) : typeName;
            boolean anyResource = "Resource".equals(t) || "DomainResource".equals(t);
            List<Node> out = new ArrayList<>();
            for (Node n : input) {
                if (n.kind() == NodeKind.ANY_RESOURCE) {
                    if (anyResource || n.status() == Action.DROP) {
                        out.add(n);
                    } else if (RESOURCE_TYPES.contains(t)) {
                        out.add(new Node(
                                NodeKind.RESOURCE,
                                t,
                                Deidentifier.FHIR.getResourceDefinition(t),
                                n.status(),
                                n.path() + " as " + t,
                                null));
                    }
                } else if (n.type().equals(t) || "*".equals(n.type()) || "Quantity".equals(t) && isQuantity(n.type())) {
                    out.add(n);
                }
            }
            return out;
        }

        private static boolean isQuantity(String t) {
            return switch (t) {
                case "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity" -> true;
                default -> false;
            };
        }

        private static String typeArgument(Call c) {
            if (c.args().size() != 1) {
                throw new Refused("it uses " + c.name() + "() without a type");
            }
            Expr arg = c.args().get(0);
            if (arg instanceof Member m && m.target() == null) {
                return m.name();
            }
            if (arg instanceof Member m && m.target() instanceof Member q && q.target() == null) {
                return q.name() + "." + m.name();
            }
            throw new Refused("it uses " + c.name() + "() without a type");
        }

        /** The elements are tested for existence only: removed ones may not be. */
        private static void existence(List<Node> nodes) {
            for (Node n : nodes) {
                if (n.status() == Action.DROP) {
                    throw removed(n);
                }
            }
        }

        /**
         * The elements' values are read (compared with a literal of type {@code literal}, or with anything when
         * null): removed ones may not be, transformed ones only when the comparison cannot involve them (a reduced
         * date compared with {@code false}).
         */
        private static void valueRead(List<Node> nodes, String literal) {
            for (Node n : nodes) {
                if (n.status() == Action.DROP) {
                    throw removed(n);
                }
                if (n.status() != Action.KEEP && (literal == null || compatible(literal, n.type()))) {
                    throw transformed(n);
                }
            }
        }

        /** The type of a literal operand, or null when the operand reads elements. */
        private static String literalType(List<Node> nodes) {
            String type = null;
            for (Node n : nodes) {
                if (n.kind() != NodeKind.VALUE) {
                    return null;
                }
                type = type == null || type.equals(n.type()) ? n.type() : "any";
            }
            return type;
        }

        private static boolean compatible(String literal, String type) {
            return switch (literal) {
                case "boolean" -> "boolean".equals(type);
                case "string" -> switch (type) {
                    case "string", "code", "id", "uri", "url", "canonical", "markdown", "oid", "uuid" -> true;
                    default -> false;
                };
                case "number" -> switch (type) {
                    case "integer", "integer64", "decimal", "unsignedInt", "positiveInt" -> true;
                    default -> false;
                };
                case "date" -> switch (type) {
                    case "date", "dateTime", "instant", "time" -> true;
                    default -> false;
                };
                default -> true;
            };
        }

        /** What the index reads of the expression's result. */
        void terminal(List<Node> nodes) {
            for (Node n : nodes) {
                if (n.kind() == NodeKind.VALUE) {
                    continue;
                }
                if (n.status() == Action.DROP) {
                    throw removed(n);
                }
                if (n.status() != Action.KEEP) {
                    throw transformed(n);
                }
                boolean base = compositeBase && (n.kind() == NodeKind.BLOCK || n.kind() == NodeKind.RESOURCE);
                if (!base
                        && (n.kind() == NodeKind.DATATYPE
                                || n.kind() == NodeKind.BLOCK
                                || n.kind() == NodeKind.EXTENSION)) {
                    readable(n, new HashSet<>());
                }
            }
        }

        /** A composite the index reads: the children it reads must be kept unchanged. */
        private void readable(Node n, Set<String> visited) {
            if (n.def() == null || !visited.add(n.type())) {
                return;
            }
            List<String> names = profile.reads(n.type()).orElseGet(() -> allChildren(n.def()));
            for (String name : names) {
                for (Node child : navigate(List.of(n), name)) {
                    if (child.status() == Action.DROP) {
                        throw removed(child);
                    }
                    if (child.status() != Action.KEEP) {
                        throw transformed(child);
                    }
                    if (child.kind() == NodeKind.DATATYPE || child.kind() == NodeKind.BLOCK) {
                        readable(child, visited);
                    }
                }
            }
        }

        private static List<String> allChildren(BaseRuntimeElementCompositeDefinition<?> def) {
            List<String> names = new ArrayList<>();
            for (BaseRuntimeChildDefinition child : def.getChildren()) {
                String name = child.getElementName();
                if (!"id".equals(name) && !"extension".equals(name) && !"modifierExtension".equals(name)) {
                    names.add(name);
                }
            }
            return names;
        }

        private static Refused removed(Node n) {
            return new Refused("it reads " + n.path() + ", which they do not see");
        }

        private static Refused transformed(Node n) {
            String how =
                    switch (n.status()) {
                        case YEAR -> "reduced to the year";
                        case YEAR_MONTH -> "reduced to the year and month";
                        case PSEUDONYM -> "replaced by a pseudonym";
                        case BOOLEAN -> "reduced to a boolean";
                        default -> "changed";
                    };
            return new Refused("it reads " + n.path() + ", which they see " + how);
        }
    }

    private static BaseRuntimeElementCompositeDefinition<?> extensionDefinition() {
        return (BaseRuntimeElementCompositeDefinition<?>) Deidentifier.FHIR.getElementDefinition(Extension.class);
    }

    /** The FHIR type name of a composite definition, as the profile names it ({@code Patient.contact}, Quantity). */
    private static String typeName(BaseRuntimeElementDefinition<?> def) {
        return TYPE_NAMES.computeIfAbsent(def, d -> {
            try {
                return ((Base) d.newInstance()).fhirType();
            } catch (RuntimeException e) {
                return d.getName();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // FHIRPath syntax

    private sealed interface Expr permits Literal, Member, Call, IndexExpr, Binary, TypeExpr, This, Var, Negate {}

    /** A literal: its type (string, number, boolean, date, quantity, empty) and, for a string, its value. */
    private record Literal(String type, String value) implements Expr {}

    /** An element (or, at the start of a path, possibly a type name); {@code target} null: the focus. */
    private record Member(Expr target, String name) implements Expr {}

    private record Call(Expr target, String name, List<Expr> args) implements Expr {}

    private record IndexExpr(Expr target, Expr index) implements Expr {}

    private record Binary(String op, Expr left, Expr right) implements Expr {}

    private record TypeExpr(String op, Expr left, String type) implements Expr {}

    private record This() implements Expr {}

    private record Var(String name) implements Expr {}

    private record Negate(Expr operand) implements Expr {}

    private enum T {
        IDENT,
        STRING,
        NUMBER,
        DATE,
        VAR,
        THIS,
        SYMBOL,
        END
    }

    private record Token(T kind, String text) {}

    /** A recursive-descent parser of FHIRPath, with its operator precedence. */
    private static final class Parser {
        private final String source;
        private final List<Token> tokens;
        private int pos;

        Parser(String source) {
            this.source = source;
            this.tokens = tokenize(source);
        }

        Expr parse() {
            Expr e = expression();
            if (peek().kind() != T.END) {
                throw error("unexpected '" + peek().text() + "'");
            }
            return e;
        }

        private Refused error(String what) {
            return new Refused(
                    "the de-identification check cannot read its expression (" + what + " in '" + source + "')");
        }

        private Token peek() {
            return tokens.get(pos);
        }

        private Token next() {
            return tokens.get(pos++);
        }

        private boolean symbol(String s) {
            Token t = peek();
            if (t.kind() == T.SYMBOL && t.text().equals(s)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean keyword(String s) {
            Token t = peek();
            if (t.kind() == T.IDENT && t.text().equals(s)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(String s) {
            if (!symbol(s)) {
                throw error("expected '" + s + "'");
            }
        }

        private Expr expression() {
            Expr e = or();
            while (keyword("implies")) {
                e = new Binary("implies", e, or());
            }
            return e;
        }

        private Expr or() {
            Expr e = and();
            while (true) {
                if (keyword("or")) {
                    e = new Binary("or", e, and());
                } else if (keyword("xor")) {
                    e = new Binary("xor", e, and());
                } else {
                    return e;
                }
            }
        }

        private Expr and() {
            Expr e = membership();
            while (keyword("and")) {
                e = new Binary("and", e, membership());
            }
            return e;
        }

        private Expr membership() {
            Expr e = equality();
            while (true) {
                if (keyword("in")) {
                    e = new Binary("in", e, equality());
                } else if (keyword("contains")) {
                    e = new Binary("contains", e, equality());
                } else {
                    return e;
                }
            }
        }

        private Expr equality() {
            Expr e = inequality();
            while (true) {
                String op = operator("=", "~", "!=", "!~");
                if (op == null) {
                    return e;
                }
                e = new Binary(op, e, inequality());
            }
        }

        private Expr inequality() {
            Expr e = union();
            while (true) {
                String op = operator("<", ">", "<=", ">=");
                if (op == null) {
                    return e;
                }
                e = new Binary(op, e, union());
            }
        }

        private Expr union() {
            Expr e = typeExpression();
            while (symbol("|")) {
                e = new Binary("|", e, typeExpression());
            }
            return e;
        }

        private Expr typeExpression() {
            Expr e = additive();
            while (true) {
                if (keyword("is")) {
                    e = new TypeExpr("is", e, typeSpecifier());
                } else if (keyword("as")) {
                    e = new TypeExpr("as", e, typeSpecifier());
                } else {
                    return e;
                }
            }
        }

        private String typeSpecifier() {
            Token t = next();
            if (t.kind() != T.IDENT) {
                throw error("expected a type name");
            }
            String name = t.text();
            if (symbol(".")) {
                Token u = next();
                if (u.kind() != T.IDENT) {
                    throw error("expected a type name");
                }
                name = name + "." + u.text();
            }
            return name;
        }

        private Expr additive() {
            Expr e = multiplicative();
            while (true) {
                String op = operator("+", "-", "&");
                if (op == null) {
                    return e;
                }
                e = new Binary(op, e, multiplicative());
            }
        }

        private Expr multiplicative() {
            Expr e = unary();
            while (true) {
                String op = operator("*", "/");
                if (op == null && keyword("div")) {
                    op = "div";
                } else if (op == null && keyword("mod")) {
                    op = "mod";
                }
                if (op == null) {
                    return e;
                }
                e = new Binary(op, e, unary());
            }
        }

        private String operator(String... ops) {
            Token t = peek();
            if (t.kind() == T.SYMBOL) {
                for (String op : ops) {
                    if (t.text().equals(op)) {
                        pos++;
                        return op;
                    }
                }
            }
            return null;
        }

        private Expr unary() {
            if (symbol("-") || symbol("+")) {
                return new Negate(unary());
            }
            Expr e = term();
            while (true) {
                if (symbol(".")) {
                    e = invocation(e);
                } else if (symbol("[")) {
                    Expr index = expression();
                    expect("]");
                    e = new IndexExpr(e, index);
                } else {
                    return e;
                }
            }
        }

        private Expr term() {
            Token t = next();
            switch (t.kind()) {
                case STRING -> {
                    return new Literal("string", t.text());
                }
                case NUMBER -> {
                    if (peek().kind() == T.STRING) {
                        next(); // a quantity's unit
                        return new Literal("quantity", null);
                    }
                    return new Literal("number", null);
                }
                case DATE -> {
                    return new Literal("date", null);
                }
                case THIS -> {
                    return new This();
                }
                case VAR -> {
                    return new Var(t.text());
                }
                case SYMBOL -> {
                    if ("(".equals(t.text())) {
                        Expr e = expression();
                        expect(")");
                        return e;
                    }
                    if ("{".equals(t.text())) {
                        expect("}");
                        return new Literal("empty", null);
                    }
                    throw error("unexpected '" + t.text() + "'");
                }
                case IDENT -> {
                    if ("true".equals(t.text()) || "false".equals(t.text())) {
                        return new Literal("boolean", null);
                    }
                    pos--;
                    return invocation(null);
                }
                case END -> throw error("unexpected end");
            }
            throw error("unexpected '" + t.text() + "'");
        }

        private Expr invocation(Expr target) {
            Token t = next();
            if (t.kind() == T.THIS) {
                return new This();
            }
            if (t.kind() != T.IDENT) {
                throw error("expected a name");
            }
            if (symbol("(")) {
                List<Expr> args = new ArrayList<>();
                if (!symbol(")")) {
                    do {
                        args.add(expression());
                    } while (symbol(","));
                    expect(")");
                }
                return new Call(target, t.text(), args);
            }
            return new Member(target, t.text());
        }

        private List<Token> tokenize(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                    while (i < n && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                    int end = s.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                        i++;
                    }
                    out.add(new Token(T.IDENT, s.substring(start, i)));
                } else if (c == '`') {
                    int end = s.indexOf('`', i + 1);
                    if (end < 0) {
                        throw error("unterminated name");
                    }
                    out.add(new Token(T.IDENT, s.substring(i + 1, end)));
                    i = end + 1;
                } else if (c == '\'') {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (i < n && s.charAt(i) != '\'') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        b.append(s.charAt(i));
                        i++;
                    }
                    if (i >= n) {
                        throw error("unterminated string");
                    }
                    i++;
                    out.add(new Token(T.STRING, b.toString()));
                } else if (Character.isDigit(c)) {
                    int start = i;
                    while (i < n
                            && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')
                            && !(s.charAt(i) == '.' && (i + 1 >= n || !Character.isDigit(s.charAt(i + 1))))) {
                        i++;
                    }
                    out.add(new Token(T.NUMBER, s.substring(start, i)));
                } else if (c == '@') {
                    int start = i++;
                    while (i < n && "0123456789-:T+.Z".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    out.add(new Token(T.DATE, s.substring(start, i)));
                } else if (c == '$') {
                    int start = i++;
                    while (i < n && Character.isLetter(s.charAt(i))) {
                        i++;
                    }
                    String name = s.substring(start, i);
                    out.add("$this".equals(name) ? new Token(T.THIS, name) : new Token(T.VAR, name));
                } else if (c == '%') {
                    int start = ++i;
                    if (i < n && (s.charAt(i) == '`' || s.charAt(i) == '\'')) {
                        char quote = s.charAt(i);
                        int end = s.indexOf(quote, i + 1);
                        if (end < 0) {
                            throw error("unterminated variable");
                        }
                        out.add(new Token(T.VAR, s.substring(i + 1, end)));
                        i = end + 1;
                    } else {
                        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                            i++;
                        }
                        out.add(new Token(T.VAR, s.substring(start, i)));
                    }
                } else {
                    String two = i + 1 < n ? s.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("!~")) {
                        out.add(new Token(T.SYMBOL, two));
                        i += 2;
                    } else if (".()[]{},|=~<>+-*/&".indexOf(c) >= 0) {
                        out.add(new Token(T.SYMBOL, String.valueOf(c)));
                        i++;
                    } else {
                        throw error("unexpected character '" + c + "'");
                    }
                }
            }
            out.add(new Token(T.END, ""));
            return out;
        }
    }
}
