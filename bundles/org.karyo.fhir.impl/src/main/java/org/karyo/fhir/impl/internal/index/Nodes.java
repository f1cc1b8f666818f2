package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.model.api.annotation.DatatypeDef;
import ca.uhn.fhir.model.api.annotation.ResourceDef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;

/** The executable steps of a {@link CompiledPath}: each appends to {@code out} what it yields for {@code in}. */
final class Nodes {
    private Nodes() {}

    /** One step of an expression. Implementations are immutable and thread-safe. */
    abstract static class Node {
        /** Evaluates over the collection {@code in} (never modified) and appends the result to {@code out}. */
        abstract void eval(Resource root, List<Base> in, List<Base> out);

        /** Whether the node is known to yield nothing whatever the input. */
        boolean isEmpty() {
            return false;
        }

        /** Whether the node yields its input unchanged. */
        boolean isIdentity() {
            return false;
        }

        /** Whether the node yields nothing for an empty input (false for {@code exists()}, {@code count()}, …). */
        boolean emptyForEmpty() {
            return true;
        }

        final List<Base> evalNew(Resource root, List<Base> in) {
            List<Base> out = new ArrayList<>(4);
            eval(root, in, out);
            return out;
        }
    }

    static final Node EMPTY = new Node() {
        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {}

        @Override
        boolean isEmpty() {
            return true;
        }

        @Override
        public String toString() {
            return "{}";
        }
    };

    static final Node THIS = new Node() {
        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            out.addAll(in);
        }

        @Override
        boolean isIdentity() {
            return true;
        }

        @Override
        public String toString() {
            return "$this";
        }
    };

    /** {@code %resource} / {@code %rootResource}: the resource being indexed. */
    static final Node RESOURCE = new Node() {
        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            if (root != null) {
                out.add(root);
            }
        }

        @Override
        boolean emptyForEmpty() {
            return false;
        }

        @Override
        public String toString() {
            return "%resource";
        }
    };

    /** A child element by name ({@code value} also yields a choice element {@code value[x]}). */
    static final class Child extends Node {
        final String name;
        final int hash;

        Child(String name) {
            this.name = name;
            this.hash = name.hashCode();
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                Base[] values;
                try {
                    values = in.get(i).getProperty(hash, name, false);
                } catch (FHIRException | UnsupportedOperationException e) {
                    continue;
                }
                if (values != null) {
                    for (Base v : values) {
                        if (v != null) {
                            out.add(v);
                        }
                    }
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A type name at the start of a path ({@code Observation.code}): keeps the items of that type. */
    static final class TypeFilter extends Node {
        final String type;

        TypeFilter(String type) {
            this.type = type;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                Base item = in.get(i);
                if (typeMatches(item, type)) {
                    out.add(item);
                }
            }
        }

        @Override
        public String toString() {
            return type;
        }
    }

    /** A sequence of steps, each applied to the output of the previous one. */
    static final class Chain extends Node {
        final Node[] steps;
        /** The steps from this index on yield nothing for an empty input, so evaluation can stop there. */
        private final int stoppable;

        Chain(Node[] steps) {
            this.steps = steps;
            int s = steps.length;
            while (s > 0 && steps[s - 1].emptyForEmpty()) {
                s--;
            }
            this.stoppable = s;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            List<Base> cur = in;
            int last = steps.length - 1;
            for (int i = 0; i < last; i++) {
                List<Base> next = new ArrayList<>(4);
                steps[i].eval(root, cur, next);
                if (next.isEmpty() && i + 1 >= stoppable) {
                    return;
                }
                cur = next;
            }
            steps[last].eval(root, cur, out);
        }

        @Override
        boolean emptyForEmpty() {
            return stoppable == 0;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Node s : steps) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(s);
            }
            return b.toString();
        }
    }

    /** {@code a | b}: the items of every branch, each element once (by identity). */
    static final class Union extends Node {
        final Node[] branches;

        Union(Node[] branches) {
            this.branches = branches;
        }

        @Override
        boolean emptyForEmpty() {
            for (Node b : branches) {
                if (!b.emptyForEmpty()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            int start = out.size();
            int filled = 0;
            for (Node b : branches) {
                int before = out.size();
                b.eval(root, in, out);
                if (out.size() > before) {
                    filled++;
                }
            }
            if (filled > 1) {
                dedupe(out, start);
            }
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("(");
            for (Node n : branches) {
                if (b.length() > 1) {
                    b.append(" | ");
                }
                b.append(n);
            }
            return b.append(')').toString();
        }
    }

    static void dedupe(List<Base> out, int start) {
        Map<Base, Boolean> seen = new IdentityHashMap<>();
        int w = start;
        for (int r = start, n = out.size(); r < n; r++) {
            Base b = out.get(r);
            if (seen.put(b, Boolean.TRUE) == null) {
                out.set(w++, b);
            }
        }
        out.subList(w, out.size()).clear();
    }

    /** A literal: yields its value whatever the input (as FHIRPath does for a non-empty focus). */
    static final class Literal extends Node {
        final Base value;
        final String text;

        Literal(Base value, String text) {
            this.value = value;
            this.text = text;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            out.add(value);
        }

        @Override
        boolean emptyForEmpty() {
            return false;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** {@code where(criteria)}: the items for which the criteria is true. */
    static final class Where extends Node {
        final Node criteria;

        Where(Node criteria) {
            this.criteria = criteria;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                Base item = in.get(i);
                if (Boolean.TRUE.equals(truth(criteria.evalNew(root, Collections.singletonList(item))))) {
                    out.add(item);
                }
            }
        }

        @Override
        public String toString() {
            return "where(" + criteria + ")";
        }
    }

    /** {@code select(projection)}: the projection of every item, concatenated. */
    static final class Select extends Node {
        final Node projection;

        Select(Node projection) {
            this.projection = projection;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                projection.eval(root, Collections.singletonList(in.get(i)), out);
            }
        }

        @Override
        public String toString() {
            return "select(" + projection + ")";
        }
    }

    /** The collection functions without arguments. */
    enum Fn {
        EXISTS,
        EMPTY,
        NOT,
        FIRST,
        LAST,
        TAIL,
        SINGLE,
        COUNT,
        HAS_VALUE,
        DISTINCT
    }

    static final class Function extends Node {
        final Fn fn;

        Function(Fn fn) {
            this.fn = fn;
        }

        @Override
        boolean emptyForEmpty() {
            return fn != Fn.EXISTS && fn != Fn.EMPTY && fn != Fn.COUNT && fn != Fn.HAS_VALUE;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            switch (fn) {
                case EXISTS -> out.add(new BooleanType(!in.isEmpty()));
                case EMPTY -> out.add(new BooleanType(in.isEmpty()));
                case NOT -> {
                    Boolean b = truth(in);
                    if (b != null) {
                        out.add(new BooleanType(!b));
                    }
                }
                case FIRST -> {
                    if (!in.isEmpty()) {
                        out.add(in.get(0));
                    }
                }
                case LAST -> {
                    if (!in.isEmpty()) {
                        out.add(in.get(in.size() - 1));
                    }
                }
                case TAIL -> {
                    if (in.size() > 1) {
                        out.addAll(in.subList(1, in.size()));
                    }
                }
                case SINGLE -> {
                    if (in.size() == 1) {
                        out.add(in.get(0));
                    }
                }
                case COUNT -> out.add(new IntegerType(in.size()));
                case HAS_VALUE -> out.add(new BooleanType(
                        in.size() == 1 && in.get(0).isPrimitive() && in.get(0).hasPrimitiveValue()));
                case DISTINCT -> {
                    int start = out.size();
                    out.addAll(in);
                    dedupe(out, start);
                }
                default -> throw new IllegalStateException(fn.name());
            }
        }

        @Override
        public String toString() {
            return fn.name().toLowerCase(java.util.Locale.ROOT) + "()";
        }
    }

    /** {@code exists(criteria)}. */
    static final class ExistsWhere extends Node {
        final Node criteria;

        ExistsWhere(Node criteria) {
            this.criteria = criteria;
        }

        @Override
        boolean emptyForEmpty() {
            return false;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            boolean any = false;
            for (int i = 0, n = in.size(); i < n && !any; i++) {
                any = Boolean.TRUE.equals(truth(criteria.evalNew(root, Collections.singletonList(in.get(i)))));
            }
            out.add(new BooleanType(any));
        }

        @Override
        public String toString() {
            return "exists(" + criteria + ")";
        }
    }

    /** {@code [n]}. */
    static final class Index extends Node {
        final int index;

        Index(int index) {
            this.index = index;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            if (index >= 0 && index < in.size()) {
                out.add(in.get(index));
            }
        }

        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    /** {@code ofType(T)}, {@code as(T)}, {@code as T}: the items of type T. */
    static final class OfType extends Node {
        final String type;

        OfType(String type) {
            this.type = type;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                Base item = in.get(i);
                if (typeMatches(item, type)) {
                    out.add(item);
                }
            }
        }

        @Override
        public String toString() {
            return "ofType(" + type + ")";
        }
    }

    /** {@code is(T)}, {@code is T}: whether the single item is of type T. */
    static final class Is extends Node {
        final String type;

        Is(String type) {
            this.type = type;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            // several items: false, as HAPI's engine answers (FHIRPath says it is an error)
            if (!in.isEmpty()) {
                out.add(new BooleanType(in.size() == 1 && typeMatches(in.get(0), type)));
            }
        }

        @Override
        public String toString() {
            return "is(" + type + ")";
        }
    }

    /**
     * {@code resolve() is T}: whether the single reference points to a resource of type T. The type comes from the
     * reference string ({@code T/id}, {@code http://…/T/id}, a contained {@code #id}) or the {@code type} element; no
     * resource is read.
     */
    static final class ResolveIs extends Node {
        final String type;

        ResolveIs(String type) {
            this.type = type;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            String found = null;
            int count = 0;
            for (int i = 0, n = in.size(); i < n; i++) {
                String t = referencedType(root, in.get(i));
                if (t != null) {
                    found = t;
                    count++;
                }
            }
            if (count == 1) {
                out.add(new BooleanType(found.equals(type) || resourceSupertype(type)));
            }
        }

        @Override
        public String toString() {
            return "resolve().is(" + type + ")";
        }
    }

    /** {@code extension('url')}: the extensions of each item with that url. */
    static final class ExtensionByUrl extends Node {
        static final String NAME = "extension";
        static final int HASH = NAME.hashCode();
        final String url;

        ExtensionByUrl(String url) {
            this.url = url;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            for (int i = 0, n = in.size(); i < n; i++) {
                Base[] values;
                try {
                    values = in.get(i).getProperty(HASH, NAME, false);
                } catch (FHIRException e) {
                    continue;
                }
                if (values != null) {
                    for (Base v : values) {
                        if (v instanceof Extension e && url.equals(e.getUrl())) {
                            out.add(e);
                        }
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "extension('" + url + "')";
        }
    }

    /** {@code a = b}, {@code a != b}. */
    static final class Equals extends Node {
        final Node left;
        final Node right;
        final boolean negate;

        Equals(Node left, Node right, boolean negate) {
            this.left = left;
            this.right = right;
            this.negate = negate;
        }

        @Override
        boolean emptyForEmpty() {
            return left.emptyForEmpty() || right.emptyForEmpty();
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            List<Base> l = left.evalNew(root, in);
            if (l.isEmpty()) {
                return;
            }
            List<Base> r = right.evalNew(root, in);
            if (r.isEmpty()) {
                return;
            }
            boolean eq = l.size() == r.size();
            for (int i = 0; eq && i < l.size(); i++) {
                eq = equal(l.get(i), r.get(i));
            }
            out.add(new BooleanType(eq != negate));
        }

        @Override
        public String toString() {
            return left + (negate ? " != " : " = ") + right;
        }
    }

    /** {@code a and b}, {@code a or b} with FHIRPath's three-valued logic. */
    static final class Logic extends Node {
        final Node left;
        final Node right;
        final boolean and;

        Logic(Node left, Node right, boolean and) {
            this.left = left;
            this.right = right;
            this.and = and;
        }

        @Override
        boolean emptyForEmpty() {
            return false;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            Boolean l = truth(left.evalNew(root, in));
            if (and && Boolean.FALSE.equals(l)) {
                out.add(new BooleanType(false));
                return;
            }
            if (!and && Boolean.TRUE.equals(l)) {
                out.add(new BooleanType(true));
                return;
            }
            Boolean r = truth(right.evalNew(root, in));
            Boolean result;
            if (and) {
                result = Boolean.FALSE.equals(r) ? Boolean.FALSE : (l == null || r == null ? null : Boolean.TRUE);
            } else {
                result = Boolean.TRUE.equals(r) ? Boolean.TRUE : (l == null || r == null ? null : Boolean.FALSE);
            }
            if (result != null) {
                out.add(new BooleanType(result));
            }
        }

        @Override
        public String toString() {
            return "(" + left + (and ? " and " : " or ") + right + ")";
        }
    }

    /** Applies a sub-expression to the result of another: {@code (a | b).first()}, {@code (x as T)}. */
    static final class Apply extends Node {
        final Node source;
        final Node step;

        Apply(Node source, Node step) {
            this.source = source;
            this.step = step;
        }

        @Override
        void eval(Resource root, List<Base> in, List<Base> out) {
            List<Base> s = source.evalNew(root, in);
            if (!s.isEmpty() || !step.emptyForEmpty()) {
                step.eval(root, s, out);
            }
        }

        @Override
        boolean emptyForEmpty() {
            return source.emptyForEmpty() && step.emptyForEmpty();
        }

        @Override
        public String toString() {
            return source + "." + step;
        }
    }

    // ---- semantics helpers ----

    /** FHIRPath singleton evaluation of a collection as a boolean: null when empty. */
    static Boolean truth(List<Base> c) {
        if (c.isEmpty()) {
            return null;
        }
        if (c.size() == 1) {
            Base b = c.get(0);
            if (b instanceof BooleanType bt) {
                return bt.getValue();
            }
            return Boolean.TRUE;
        }
        return null;
    }

    /** FHIRPath equality of two items. */
    static boolean equal(Base a, Base b) {
        if (a == b) {
            return true;
        }
        boolean pa = a.isPrimitive();
        boolean pb = b.isPrimitive();
        if (pa != pb) {
            return false;
        }
        if (!pa) {
            return a.equalsDeep(b);
        }
        boolean ba = a instanceof BooleanType;
        boolean bb = b instanceof BooleanType;
        if (ba || bb) {
            return ba && bb && java.util.Objects.equals(((BooleanType) a).getValue(), ((BooleanType) b).getValue());
        }
        BigDecimal na = number(a);
        BigDecimal nb = number(b);
        if (na != null || nb != null) {
            return na != null && nb != null && na.compareTo(nb) == 0;
        }
        if (a instanceof BaseDateTimeType != b instanceof BaseDateTimeType) {
            return false;
        }
        String sa = a.primitiveValue();
        return sa != null && sa.equals(b.primitiveValue());
    }

    private static BigDecimal number(Base b) {
        if (b instanceof DecimalType d) {
            return d.getValue();
        }
        if (b instanceof IntegerType i) {
            return i.getValue() == null ? null : BigDecimal.valueOf(i.getValue());
        }
        if (b instanceof Integer64Type i) {
            return i.getValue() == null ? null : BigDecimal.valueOf(i.getValue());
        }
        return null;
    }

    /**
     * The FHIR type names an item is an instance of: its own type and, for complex types and resources, the types it
     * specialises (Age → Quantity, Observation → DomainResource → Resource). Primitive types match their own name only
     * ({@code canonical} is not {@code uri}, {@code code} is not {@code string}), as in HAPI's FHIRPath engine.
     */
    private static final ClassValue<Set<String>> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            Set<String> names = new TreeSet<>();
            if (PrimitiveType.class.isAssignableFrom(type)) {
                DatatypeDef d = type.getAnnotation(DatatypeDef.class);
                if (d != null) {
                    names.add(d.name());
                }
                return Set.copyOf(names);
            }
            for (Class<?> c = type; c != null && c != Base.class && c != Object.class; c = c.getSuperclass()) {
                ResourceDef r = c.getAnnotation(ResourceDef.class);
                DatatypeDef d = c.getAnnotation(DatatypeDef.class);
                if (r != null) {
                    names.add(r.name());
                } else if (d != null) {
                    names.add(d.name());
                } else if (c.getPackageName().equals(Resource.class.getPackageName())) {
                    names.add(c.getSimpleName());
                }
            }
            return Set.copyOf(names);
        }
    };

    /** The FHIR type names instances of a model class are (see {@link #typeMatches}). */
    static Set<String> typeNames(Class<?> type) {
        return TYPE_NAMES.get(type);
    }

    static boolean typeMatches(Base item, String type) {
        String ft = item.fhirType();
        if (ft.equals(type)) {
            return true;
        }
        // a primitive type name (lower case) matches exactly only
        return Character.isUpperCase(type.charAt(0))
                && TYPE_NAMES.get(item.getClass()).contains(type);
    }

    /** Whether a type name is an abstract type every resource specialises. */
    static boolean resourceSupertype(String type) {
        return "Resource".equals(type) || "DomainResource".equals(type);
    }

    /** The type of the resource a reference points to, or null when it cannot be told without reading it. */
    static String referencedType(Resource root, Base item) {
        if (item instanceof Reference ref) {
            String r = ref.getReference();
            if (r != null && !r.isEmpty()) {
                if (r.charAt(0) == '#') {
                    if (root instanceof DomainResource dr) {
                        String id = r.substring(1);
                        for (Resource c : dr.getContained()) {
                            String cid = c.getIdPart();
                            if (cid != null && (cid.equals(id) || cid.equals(r))) {
                                return c.fhirType();
                            }
                        }
                    }
                    return null;
                }
                String t = typeOfUrl(r);
                if (t != null) {
                    return t;
                }
            }
            return ref.hasType() ? ref.getType() : null;
        }
        if (item instanceof CanonicalType c) {
            return c.getValue() == null ? null : typeOfUrl(c.getValue());
        }
        return null;
    }

    /** {@code Type} of {@code Type/id}, {@code Type/id/_history/v} or {@code http://base/Type/id}, else null. */
    static String typeOfUrl(String r) {
        int q = r.indexOf('?');
        if (q >= 0) {
            r = r.substring(0, q);
        }
        int h = r.indexOf("/_history/");
        if (h >= 0) {
            r = r.substring(0, h);
        }
        int bar = r.indexOf('|');
        if (bar >= 0) {
            r = r.substring(0, bar);
        }
        int slash = r.lastIndexOf('/');
        if (slash <= 0 || slash == r.length() - 1) {
            return null;
        }
        int prev = r.lastIndexOf('/', slash - 1);
        String t = r.substring(prev + 1, slash);
        if (t.isEmpty() || !Character.isUpperCase(t.charAt(0))) {
            return null;
        }
        for (int i = 1; i < t.length(); i++) {
            if (!Character.isLetter(t.charAt(i))) {
                return null;
            }
        }
        return t;
    }
}
