package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Enumeration;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.SearchParameter;

/**
 * Every search parameter of every R5 resource type, read from HAPI's model (generated from the R5 {@code
 * SearchParameter} definitions) with each expression compiled once by {@link PathCompiler}, plus {@code _source}, and
 * the parameters registered at runtime. Reads are lock-free; registrations replace the entry of the types they touch
 * (copy on write) and bump {@link #version()}.
 */
public final class SearchParamRegistry {
    private static final Comparator<SearchParam> BY_CODE = Comparator.comparing(SearchParam::code);

    private final FhirContext fhir;
    private final Object lock = new Object();
    private volatile Map<String, TypeParams> types;
    private volatile long version;
    private final List<String> unsupported;
    /** Built-in parameters that are the union of others (type#code → the parameter, then its sources). */
    private final Map<String, List<SearchParam>> derived;

    private record TypeParams(List<SearchParam> list, Map<String, SearchParam> byCode) {
        static TypeParams of(Map<String, SearchParam> byCode) {
            List<SearchParam> list = new ArrayList<>(byCode.values());
            list.sort(BY_CODE);
            Map<String, SearchParam> map = new HashMap<>();
            for (SearchParam p : list) {
                map.put(p.code(), p);
            }
            return new TypeParams(List.copyOf(list), Map.copyOf(map));
        }
    }

    /** The registry of R5's built-in parameters. */
    public SearchParamRegistry() {
        this(FhirContext.forR5Cached());
    }

    /** The registry of the built-in parameters of {@code fhir}'s model (R5). */
    public SearchParamRegistry(FhirContext fhir) {
        this.fhir = fhir;
        List<String> failures = new ArrayList<>();
        Map<String, TypeParams> all = new TreeMap<>();
        for (String type : new TreeSet<>(fhir.getResourceTypes())) {
            all.put(type, TypeParams.of(builtIns(type, failures)));
        }
        this.types = Collections.unmodifiableMap(all);
        this.unsupported = List.copyOf(failures);
        Map<String, List<SearchParam>> unions = new HashMap<>();
        for (TypeParams t : all.values()) {
            for (SearchParam p : t.list()) {
                List<SearchParam> sources = unionOf(p, t.list());
                if (!sources.isEmpty()) {
                    List<SearchParam> entry = new ArrayList<>();
                    entry.add(p);
                    entry.addAll(sources);
                    unions.put(p.resourceType() + "#" + p.code(), List.copyOf(entry));
                }
            }
        }
        this.derived = Map.copyOf(unions);
    }

    /**
     * The other parameters of the same type whose expressions together are exactly {@code p}'s, as alternatives of a
     * union ({@code combo-code} is {@code code | component-code}; {@code combo-value-quantity} is {@code
     * value-quantity | component-value-quantity}; composites with the same components); empty when there are none.
     */
    private static List<SearchParam> unionOf(SearchParam p, List<SearchParam> all) {
        if (!p.indexed() || p.expression() == null || p.type() == ParamType.REFERENCE) {
            // references are written by their targets (a bare id gets the type of a one-target parameter)
            return List.of();
        }
        Set<String> wanted = alternatives(p.expression(), p.resourceType());
        if (wanted.size() < 2) {
            return List.of();
        }
        Set<String> covered = new HashSet<>();
        List<SearchParam> sources = new ArrayList<>();
        for (SearchParam q : all) {
            if (q == p || !q.indexed() || q.type() != p.type() || q.expression() == null) {
                continue;
            }
            if (p.type() == ParamType.COMPOSITE && !sameComponentExpressions(p, q)) {
                continue;
            }
            Set<String> alts = alternatives(q.expression(), p.resourceType());
            if (!alts.isEmpty() && wanted.containsAll(alts) && alts.size() < wanted.size()) {
                sources.add(q);
                covered.addAll(alts);
            }
        }
        return covered.equals(wanted) ? sources : List.of();
    }

    private static boolean sameComponentExpressions(SearchParam p, SearchParam q) {
        if (p.components().size() != q.components().size()) {
            return false;
        }
        for (int i = 0; i < p.components().size(); i++) {
            if (!p.components().get(i).expression().equals(q.components().get(i).expression())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The top-level alternatives of a union expression that apply to {@code type} (those of other resource types, in
     * the expressions R5 shares between types, left out), each trimmed and without enclosing parentheses.
     */
    static Set<String> alternatives(String expression, String type) {
        Set<String> out = new HashSet<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= expression.length(); i++) {
            char c = i < expression.length() ? expression.charAt(i) : '|';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                String alt = expression.substring(start, i).trim();
                while (alt.startsWith("(") && alt.endsWith(")") && balanced(alt.substring(1, alt.length() - 1))) {
                    alt = alt.substring(1, alt.length() - 1).trim();
                }
                int end = 0;
                while (end < alt.length() && Character.isLetter(alt.charAt(end))) {
                    end++;
                }
                String head = alt.substring(0, end);
                if (head.isEmpty() || !Character.isUpperCase(head.charAt(0)) || head.equals(type)) {
                    out.add(alt);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '(') {
                depth++;
            } else if (s.charAt(i) == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /**
     * The codes of the parameters whose union a built-in parameter of {@code resourceType} is ({@code code} and {@code
     * component-code} for Observation's {@code combo-code}), or empty: such a parameter is not written to the index
     * (it would repeat its sources' keys) and a search on it is answered through them. Empty as soon as a runtime
     * registration replaced it or one of its sources.
     */
    public List<String> derivedFrom(String resourceType, String code) {
        List<SearchParam> entry = derived.get(resourceType + "#" + code);
        if (entry == null || get(resourceType, code) != entry.get(0)) {
            return List.of();
        }
        List<String> codes = new ArrayList<>();
        for (SearchParam source : entry.subList(1, entry.size())) {
            if (get(resourceType, source.code()) != source) {
                return List.of();
            }
            codes.add(source.code());
        }
        return codes;
    }

    private Map<String, SearchParam> builtIns(String type, List<String> failures) {
        RuntimeResourceDefinition def = fhir.getResourceDefinition(type);
        Map<String, SearchParam> byCode = new LinkedHashMap<>();
        List<RuntimeSearchParam> composites = new ArrayList<>();
        for (RuntimeSearchParam rsp : def.getSearchParams()) {
            ParamType pt = ParamType.of(rsp.getParamType());
            if (pt == ParamType.COMPOSITE) {
                composites.add(rsp);
                continue;
            }
            CompiledPath path = null;
            try {
                path = compileBuiltIn(rsp.getPath(), type);
            } catch (UnsupportedExpressionException e) {
                failures.add(type + "." + rsp.getName() + ": " + e.getMessage());
            }
            byCode.put(rsp.getName(), builtIn(type, rsp, pt, path, List.of()));
        }
        if (!byCode.containsKey("_source")) {
            byCode.put(
                    "_source",
                    new SearchParam(
                            type,
                            "_source",
                            ParamType.URI,
                            "Resource.meta.source",
                            List.of(),
                            List.of(),
                            PathCompiler.compile("Resource.meta.source", type),
                            "http://hl7.org/fhir/SearchParameter/Resource-source",
                            Set.of(),
                            null));
        }
        for (RuntimeSearchParam rsp : composites) {
            List<SearchParam.Component> components = new ArrayList<>();
            CompiledPath path = null;
            List<CompositeComponents.Def> defs = CompositeComponents.of(type, rsp.getName());
            try {
                path = compileBuiltIn(rsp.getPath(), type);
                if (defs == null) {
                    failures.add(type + "." + rsp.getName() + ": composite without known components");
                } else {
                    for (CompositeComponents.Def d : defs) {
                        SearchParam target = byCode.get(d.code());
                        if (target == null) {
                            failures.add(
                                    type + "." + rsp.getName() + ": component " + d.code() + " is not a parameter");
                            components.clear();
                            break;
                        }
                        components.add(new SearchParam.Component(
                                d.code(), target.type(), d.expression(), PathCompiler.compile(d.expression())));
                    }
                }
            } catch (UnsupportedExpressionException e) {
                failures.add(type + "." + rsp.getName() + ": " + e.getMessage());
            }
            byCode.put(rsp.getName(), builtIn(type, rsp, ParamType.COMPOSITE, path, components));
        }
        return byCode;
    }

    private static CompiledPath compileBuiltIn(String expression, String type) {
        return expression == null || expression.isBlank() ? null : PathCompiler.compile(expression, type);
    }

    private static SearchParam builtIn(
            String type, RuntimeSearchParam rsp, ParamType pt, CompiledPath path, List<SearchParam.Component> comps) {
        Set<String> compartments = rsp.getProvidesMembershipInCompartments();
        return new SearchParam(
                type,
                rsp.getName(),
                pt,
                rsp.getPath(),
                new ArrayList<>(new TreeSet<>(rsp.getTargets())),
                comps,
                path,
                rsp.getUri(),
                compartments == null ? Set.of() : compartments,
                null);
    }

    /** The resource types, sorted. */
    public Set<String> resourceTypes() {
        return types.keySet();
    }

    /** The parameters of a type sorted by code; empty for an unknown type. */
    public List<SearchParam> forType(String resourceType) {
        TypeParams t = types.get(resourceType);
        return t == null ? List.of() : t.list();
    }

    /** The parameter {@code code} of {@code resourceType}, or null. */
    public SearchParam get(String resourceType, String code) {
        TypeParams t = types.get(resourceType);
        return t == null ? null : t.byCode().get(code);
    }

    /** The parameter {@code code} of {@code resourceType}. */
    public Optional<SearchParam> find(String resourceType, String code) {
        return Optional.ofNullable(get(resourceType, code));
    }

    /** Increases with every registration or removal (extractors cache per-type plans by it). */
    public long version() {
        return version;
    }

    /** Built-in parameters whose expression or components could not be compiled ({@code Type.code: reason}). */
    public List<String> unsupportedBuiltIns() {
        return unsupported;
    }

    /**
     * Registers (or replaces) a parameter from an R5 {@code SearchParameter}: its code, base types ({@code Resource}
     * and {@code DomainResource} mean every type), type, expression, targets and components (each the canonical url of
     * a parameter of the same base plus a relative expression).
     *
     * @return the parameter of each base type
     * @throws UnsupportedExpressionException when the expression uses something outside the subset, naming it
     * @throws IllegalArgumentException when the definition is incomplete or names an unknown type or component
     */
    public List<SearchParam> register(SearchParameter definition) {
        String code = definition.getCode();
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("SearchParameter.code is required");
        }
        if (!code.matches("[A-Za-z0-9_][A-Za-z0-9_\\-.]*")) {
            throw new IllegalArgumentException("SearchParameter.code '" + code + "' is not a valid parameter name");
        }
        ParamType type = ParamType.of(definition.getType());
        String expression = definition.getExpression();
        if ((expression == null || expression.isBlank()) && type != ParamType.SPECIAL) {
            throw new IllegalArgumentException("SearchParameter.expression is required");
        }
        Set<String> bases = new TreeSet<>();
        for (Enumeration<?> b : definition.getBase()) {
            String t = b.getCode();
            if ("Resource".equals(t) || "DomainResource".equals(t)) {
                for (String rt : types.keySet()) {
                    if (Nodes.typeNames(fhir.getResourceDefinition(rt).getImplementingClass())
                            .contains(t)) {
                        bases.add(rt);
                    }
                }
            } else if (t != null && types.containsKey(t)) {
                bases.add(t);
            } else {
                throw new IllegalArgumentException("SearchParameter.base '" + t + "' is not an R5 resource type");
            }
        }
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("SearchParameter.base is required");
        }
        List<String> targets = new ArrayList<>();
        for (Enumeration<?> t : definition.getTarget()) {
            targets.add(t.getCode());
        }
        Collections.sort(targets);
        // compile everything before changing anything
        List<SearchParam> created = new ArrayList<>();
        for (String base : bases) {
            CompiledPath path =
                    expression == null || expression.isBlank() ? null : PathCompiler.compile(expression, base);
            List<SearchParam.Component> components = new ArrayList<>();
            if (type == ParamType.COMPOSITE) {
                if (definition.getComponent().size() < 2) {
                    throw new IllegalArgumentException("a composite SearchParameter needs at least two components");
                }
                for (SearchParameter.SearchParameterComponentComponent c : definition.getComponent()) {
                    SearchParam target = byUrl(base, c.getDefinition());
                    if (target == null) {
                        throw new IllegalArgumentException("SearchParameter.component.definition '" + c.getDefinition()
                                + "' is not a parameter of " + base);
                    }
                    components.add(new SearchParam.Component(
                            target.code(), target.type(), c.getExpression(), PathCompiler.compile(c.getExpression())));
                }
            }
            created.add(new SearchParam(
                    base, code, type, expression, targets, components, path, definition.getUrl(), Set.of(), null));
        }
        synchronized (lock) {
            Map<String, TypeParams> next = new TreeMap<>(types);
            for (SearchParam p : created) {
                Map<String, SearchParam> byCode =
                        new LinkedHashMap<>(next.get(p.resourceType()).byCode());
                byCode.put(code, p);
                next.put(p.resourceType(), TypeParams.of(byCode));
            }
            types = Collections.unmodifiableMap(next);
            version++;
        }
        return List.copyOf(created);
    }

    /**
     * Registers (or replaces) a parameter whose values are computed at query time (for instance an age relative to
     * today): it is listed like any other but never written to the index.
     */
    public SearchParam registerComputed(
            String resourceType, String code, ParamType type, Function<Resource, List<Base>> computer) {
        if (computer == null) {
            throw new IllegalArgumentException("a computed parameter needs a function");
        }
        if (!types.containsKey(resourceType)) {
            throw new IllegalArgumentException("'" + resourceType + "' is not an R5 resource type");
        }
        SearchParam p =
                new SearchParam(resourceType, code, type, null, List.of(), List.of(), null, null, Set.of(), computer);
        synchronized (lock) {
            Map<String, TypeParams> next = new TreeMap<>(types);
            Map<String, SearchParam> byCode =
                    new LinkedHashMap<>(next.get(resourceType).byCode());
            byCode.put(code, p);
            next.put(resourceType, TypeParams.of(byCode));
            types = Collections.unmodifiableMap(next);
            version++;
        }
        return p;
    }

    /** Removes a parameter; true when there was one. */
    public boolean remove(String resourceType, String code) {
        synchronized (lock) {
            TypeParams t = types.get(resourceType);
            if (t == null || !t.byCode().containsKey(code)) {
                return false;
            }
            Map<String, TypeParams> next = new TreeMap<>(types);
            Map<String, SearchParam> byCode = new LinkedHashMap<>(t.byCode());
            byCode.remove(code);
            next.put(resourceType, TypeParams.of(byCode));
            types = Collections.unmodifiableMap(next);
            version++;
            return true;
        }
    }

    private SearchParam byUrl(String type, String url) {
        if (url == null) {
            return null;
        }
        String bare = url.contains("|") ? url.substring(0, url.indexOf('|')) : url;
        for (SearchParam p : forType(type)) {
            if (bare.equals(p.url())) {
                return p;
            }
        }
        // HAPI names the shared R5 definitions per type (clinical-code → Observation-code): match on the code when the
        // url's prefix is the type, an abstract type, or a group of types (clinical-, individual-, …)
        String tail = bare.substring(bare.lastIndexOf('/') + 1);
        int dash = tail.indexOf('-');
        if (dash > 0 && bare.startsWith("http://hl7.org/fhir/SearchParameter/")) {
            String prefix = tail.substring(0, dash);
            String code = tail.substring(dash + 1);
            boolean group = Character.isLowerCase(prefix.charAt(0))
                    || prefix.equals(type)
                    || Nodes.typeNames(fhir.getResourceDefinition(type).getImplementingClass())
                            .contains(prefix);
            if (group) {
                return get(type, code);
            }
        }
        return null;
    }
}
