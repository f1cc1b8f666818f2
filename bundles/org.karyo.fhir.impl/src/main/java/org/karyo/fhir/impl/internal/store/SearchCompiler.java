package org.karyo.fhir.impl.internal.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.karyo.fhir.api.Code;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.ParamType;
import org.karyo.fhir.api.SearchExtension;
import org.karyo.fhir.impl.internal.index.RangeBuckets;

/**
 * Compiles FHIR search parameters into SQL conditions over the index columns of {@code resource} (docs/design/fhir.md):
 * exact-match keys through the GIN index ({@code keys && ?}), ranges through an inline match over the {@code rng} triples, chains and
 * reverse chains as subqueries that apply the caller's access too.
 */
final class SearchCompiler {
    private static final String S = Schema.NAME;
    /** Parameters that shape the answer rather than select resources. */
    static final Set<String> RESULT = Set.of(
            "_count",
            "_sort",
            "_include",
            "_revinclude",
            "_total",
            "_summary",
            "_elements",
            "_cursor",
            "_format",
            "_pretty",
            "_contained",
            "_containedType",
            "_type");

    private final ParamLookup params;
    private final Function<String, Optional<SearchExtension>> extensions;
    private final Policy policy;
    private final int defaultCount;
    private final int maxCount;
    private final LocalDate today;

    /** What the caller's access forbids in a search (pseudonymised access, identifier search). */
    interface Policy {
        /** Throws a 403 when the caller may not search {@code type} by {@code code}. */
        void check(String type, String code);

        /** The visibility condition on an alias, with its parameters appended. */
        String visible(String alias, List<Object> params);
    }

    SearchCompiler(
            ParamLookup params,
            Function<String, Optional<SearchExtension>> extensions,
            Policy policy,
            int defaultCount,
            int maxCount,
            LocalDate today) {
        this.params = params;
        this.extensions = extensions;
        this.policy = policy;
        this.defaultCount = defaultCount;
        this.maxCount = maxCount;
        this.today = today;
    }

    /** Compiles a search of {@code type} ({@code null}: every type, with {@code _type}). */
    Query compile(String type, List<Map.Entry<String, String>> request, boolean lenient) {
        Query q = new Query(type);
        q.count = defaultCount;
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> p : request) {
            String name = p.getKey();
            String value = p.getValue();
            String bare = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            switch (bare) {
                case "_count" -> q.count = count(value);
                case "_sort" -> sort(q, type, value);
                case "_include" -> q.includes.add(value);
                case "_revinclude" -> q.revincludes.add(value);
                case "_total" -> q.total = oneOf("_total", value, "none", "estimate", "accurate");
                case "_summary" -> q.summary = oneOf("_summary", value, "true", "false", "text", "data", "count");
                case "_elements" -> q.elements = value;
                case "_cursor" -> cursor(q, value);
                case "_format", "_pretty" -> {
                    // served by the REST layer
                }
                case "_type" -> q.types = List.of(value.split(","));
                case "_contained", "_containedType" -> throw FhirException.badRequest(
                        name, "Searching contained resources is not supported");
                default -> {
                    String cond = condition(type, name, value, "r", q.params, unknown);
                    if (cond != null) {
                        q.where.add(cond);
                    }
                }
            }
            if (RESULT.contains(bare) && !bare.equals("_cursor")) {
                q.echo.add(p);
            }
        }
        if (!unknown.isEmpty()) {
            if (!lenient) {
                throw FhirException.badRequest(
                        String.join(", ", unknown),
                        "Unknown search parameter" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                                + (type == null ? "" : " for " + type)
                                + " (send Prefer: handling=lenient to ignore unknown parameters)");
            }
            q.ignored.addAll(unknown);
        }
        return q;
    }

    private int count(String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw FhirException.badRequest("_count", "_count is not negative");
            }
            return Math.min(n, maxCount);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest("_count", "_count is a whole number");
        }
    }

    private static String oneOf(String name, String v, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw FhirException.badRequest(name, name + " is one of " + String.join(", ", allowed));
    }

    private static void cursor(Query q, String v) {
        try {
            String[] parts = v.split("\\.");
            if (parts[0].startsWith("o")) {
                q.offset = Integer.parseInt(parts[0].substring(1));
            } else {
                q.after = Long.parseLong(parts[0]);
            }
            q.cap = Long.parseLong(parts[1]);
        } catch (RuntimeException e) {
            throw FhirException.badRequest("_cursor", "The page link is not one this server made");
        }
    }

    private void sort(Query q, String type, String value) {
        for (String key : value.split(",")) {
            boolean desc = key.startsWith("-");
            String code = desc ? key.substring(1) : key;
            String dir = desc ? " DESC NULLS LAST" : " ASC NULLS LAST";
            switch (code) {
                case "_id" -> q.orderBy.add("r.id" + dir);
                case "_lastUpdated" -> q.orderBy.add("r.last_updated" + dir);
                default -> {
                    if (type == null) {
                        throw FhirException.badRequest("_sort", "Sorting by " + code + " needs a resource type");
                    }
                    ParamDef def = params.find(type, code)
                            .orElseThrow(() -> FhirException.badRequest(
                                    "_sort", "Unknown search parameter " + code + " for " + type + " in _sort"));
                    policy.check(type, code);
                    // a union of other parameters sorts by the least (greatest) value of its sources
                    List<String> codes = params.derivedFrom(type, code);
                    List<String> exprs = new ArrayList<>();
                    for (String c : codes.isEmpty() ? List.of(code) : codes) {
                        exprs.add(sortExpression(def, c, desc, q.orderParams));
                    }
                    q.orderBy.add((exprs.size() == 1
                                    ? exprs.get(0)
                                    : (desc ? "GREATEST(" : "LEAST(") + String.join(", ", exprs) + ")")
                            + dir);
                }
            }
        }
    }

    /** The sort expression of parameter {@code code} (of {@code def}'s type), its parameter added to {@code out}. */
    private String sortExpression(ParamDef def, String code, boolean desc, List<Object> out) {
        switch (def.type()) {
            case DATE, NUMBER, QUANTITY -> {
                out.add(params.paramId(code));
                return desc ? S + ".rng_high(r.rng, ?)" : S + ".rng_low(r.rng, ?)";
            }
            case STRING -> out.add(code + ":p=");
            case TOKEN -> out.add(code + ":c=");
            case REFERENCE -> out.add(code + ":r=");
            case URI -> out.add(code + ":u=");
            default -> throw FhirException.badRequest(
                    "_sort",
                    "Sorting by a " + def.type().name().toLowerCase(java.util.Locale.ROOT)
                            + " parameter is not supported");
        }
        return S + ".key_value(r.keys, ?)";
    }

    /**
     * The condition of one parameter on alias {@code a}, or {@code null} when it selects nothing (an unknown one,
     * added to {@code unknown}).
     */
    String condition(String type, String name, String value, String a, List<Object> out, List<String> unknown) {
        if (name.startsWith("_has:")) {
            return reverseChain(type, name, value, a, out, unknown);
        }
        String bare = name;
        String modifier = null;
        String chain = null;
        int dot = indexOfChain(name);
        if (dot > 0) {
            chain = name.substring(dot + 1);
            bare = name.substring(0, dot);
        }
        int colon = bare.indexOf(':');
        if (colon > 0) {
            modifier = bare.substring(colon + 1);
            bare = bare.substring(0, colon);
        }
        switch (bare) {
            case "_id" -> {
                if (type != null && !"not".equals(modifier)) {
                    // through the reference table's (type, id) key: resource has no index on id
                    out.add(type);
                    out.add(values(value).toArray(String[]::new));
                    return a + ".res_pk = ANY(ARRAY(SELECT ri.res_pk FROM " + S + ".resource_id ri WHERE ri.rtype = ?"
                            + " AND ri.id = ANY(?)))";
                }
                out.add(values(value).toArray(String[]::new));
                return "not".equals(modifier) ? "NOT (" + a + ".id = ANY(?))" : a + ".id = ANY(?)";
            }
            case "_lastUpdated" -> {
                return or(values(value), v -> lastUpdated(v, a, out));
            }
            case "_list" -> {
                return list(value, a, out);
            }
            case "_text", "_content" -> {
                if (type != null) {
                    policy.check(type, bare);
                }
                out.add(value);
                return "to_tsvector('simple', " + a + ".body) @@ plainto_tsquery('simple', ?)";
            }
            case "_filter" -> {
                return new FilterCompiler(this, type, a, out).compile(value);
            }
            default -> {
                // a search parameter
            }
        }
        String lookupType = type == null ? "Resource" : type;
        Optional<ParamDef> found = params.find(lookupType, bare);
        if (found.isEmpty()) {
            unknown.add(name);
            return null;
        }
        ParamDef def = found.get();
        if (type != null) {
            policy.check(type, bare);
        }
        if (def.computed() != null) {
            List<String> parts = new ArrayList<>();
            for (String v : values(value)) {
                String prefix = prefixOf(v);
                Map.Entry<String, String> rw = def.computed().rewrite(prefix, v.substring(prefix.length()), today);
                String c = condition(type, rw.getKey(), rw.getValue(), a, out, unknown);
                if (c != null) {
                    parts.add(c);
                }
            }
            return parts.isEmpty() ? "FALSE" : "(" + String.join(" OR ", parts) + ")";
        }
        List<String> sources = params.derivedFrom(lookupType, bare);
        if (!sources.isEmpty()) {
            // a union of other parameters (combo-code = code | component-code) is not in the index: any of its
            // sources matches, or, for :not and :missing=true, all of them
            String rest = name.substring(bare.length());
            boolean all = "not".equals(modifier) || ("missing".equals(modifier) && "true".equals(value));
            List<String> parts = new ArrayList<>();
            for (String source : sources) {
                String c = condition(type, source + rest, value, a, out, unknown);
                if (c != null) {
                    parts.add(c);
                }
            }
            return parts.isEmpty() ? null : "(" + String.join(all ? " AND " : " OR ", parts) + ")";
        }
        if ("missing".equals(modifier)) {
            out.add(new String[] {bare + ":*"});
            boolean missing = "true".equals(value);
            return (missing ? "NOT " : "") + "(" + a + ".keys && ?)";
        }
        if (chain != null) {
            return chain(def, modifier, chain, value, a, out, unknown);
        }
        return switch (def.type()) {
            case TOKEN -> token(def, modifier, value, a, out);
            case STRING -> string(def, modifier, value, a, out);
            case URI -> uri(def, modifier, value, a, out);
            case REFERENCE -> reference(def, modifier, value, a, out);
            case DATE -> or(values(value), v -> date(def.code(), v, a, out));
            case NUMBER -> or(values(value), v -> number(def.code(), v, a, out));
            case QUANTITY -> or(values(value), v -> quantity(def.code(), v, a, out));
            case COMPOSITE -> or(values(value), v -> composite(def, v, a, out));
            case SPECIAL -> throw FhirException.badRequest(name, "The special parameter " + bare + " is not supported");
        };
    }

    /** The index of the dot that starts a chain, past a type modifier such as {@code subject:Patient.name}. */
    private static int indexOfChain(String name) {
        int colon = name.indexOf(':');
        int dot = name.indexOf('.');
        if (dot < 0) {
            return -1;
        }
        if (colon >= 0 && colon < dot) {
            return dot;
        }
        return dot;
    }

    private String token(ParamDef def, String modifier, String value, String a, List<Object> out) {
        String code = def.code();
        List<String> keys = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        boolean negate = false;
        if (modifier == null || modifier.equals("not")) {
            negate = "not".equals(modifier);
            for (String v : values(value)) {
                int bar = v.indexOf('|');
                if (bar < 0) {
                    keys.add(code + ":c=" + v);
                } else if (bar == 0) {
                    keys.add(code + ":n=" + v.substring(1));
                } else if (bar == v.length() - 1 || v.endsWith("|*")) {
                    likes.add(code + ":s=" + escapeLike(v.substring(0, bar + 1)) + "%");
                } else {
                    keys.add(code + ":s=" + v);
                }
            }
        } else if (modifier.equals("text")) {
            // a prefix of a display or text (normalised), checked per resource: the index keeps each text once
            for (String v : values(value)) {
                likes.add(code + ":x=" + escapeLike(params.normalize(v)) + "%");
            }
        } else if (modifier.equals("of-type")) {
            for (String v : values(value)) {
                keys.add(code + ":t=" + v);
            }
        } else if (Set.of("below", "above", "in", "not-in").contains(modifier)) {
            SearchExtension ext = extensions
                    .apply(modifier)
                    .orElseThrow(() -> FhirException.badRequest(
                            code + ":" + modifier,
                            "The modifier :" + modifier + " needs a terminology module, and none is installed"));
            negate = modifier.equals("not-in");
            for (String v : values(value)) {
                int bar = v.indexOf('|');
                String system = bar < 0 ? null : v.substring(0, bar);
                String c = bar < 0 ? v : v.substring(bar + 1);
                Set<Code> codes = ext.expand(modifier, system, c)
                        .orElseThrow(() -> FhirException.badRequest(
                                code + ":" + modifier, "The terminology module does not know " + v));
                for (Code x : codes) {
                    keys.add(x.system() == null ? code + ":c=" + x.code() : code + ":s=" + x.system() + "|" + x.code());
                }
            }
        } else {
            throw FhirException.badRequest(
                    code + ":" + modifier, "The modifier :" + modifier + " does not apply to token parameters");
        }
        String cond = keysOr(a, keys, likes, out);
        return negate ? "NOT " + cond : cond;
    }

    private String string(ParamDef def, String modifier, String value, String a, List<Object> out) {
        String code = def.code();
        List<String> keys = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        for (String v : values(value)) {
            if ("exact".equals(modifier)) {
                keys.add(code + ":e=" + v);
            } else if ("contains".equals(modifier)) {
                likes.add(code + ":p=%" + escapeLike(params.normalize(v)) + "%");
            } else if (modifier == null || "text".equals(modifier)) {
                String n = params.normalize(v);
                if (n.length() <= 32) {
                    keys.add(code + ":p=" + n);
                } else {
                    likes.add(code + ":p=" + escapeLike(n) + "%");
                }
            } else {
                throw FhirException.badRequest(
                        code + ":" + modifier, "The modifier :" + modifier + " does not apply to string parameters");
            }
        }
        return keysOr(a, keys, likes, out);
    }

    private String uri(ParamDef def, String modifier, String value, String a, List<Object> out) {
        String code = def.code();
        List<String> keys = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        for (String v : values(value)) {
            if (modifier == null) {
                keys.add(code + ":u=" + v);
            } else if (modifier.equals("below")) {
                likes.add(code + ":u=" + escapeLike(v) + "%");
            } else if (modifier.equals("above")) {
                String[] parts = v.split("/");
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < parts.length; i++) {
                    prefix.append(i == 0 ? "" : "/").append(parts[i]);
                    keys.add(code + ":u=" + prefix);
                }
            } else {
                throw FhirException.badRequest(
                        code + ":" + modifier, "The modifier :" + modifier + " does not apply to uri parameters");
            }
        }
        return keysOr(a, keys, likes, out);
    }

    private String reference(ParamDef def, String modifier, String value, String a, List<Object> out) {
        String code = def.code();
        List<String> patients = compartmentPatients(def, modifier, value);
        if (!patients.isEmpty()) {
            // the row's patient key is its subject's: the (patient_key, rtype, res_pk) index finds the rows in order
            List<Object> inner = new ArrayList<>();
            String keysCond = referenceKeys(def, modifier, value, a, inner);
            out.add(patients.toArray(String[]::new));
            out.addAll(inner);
            return "(" + a + ".patient_key = ANY(ARRAY(SELECT ri.res_pk FROM " + S + ".resource_id ri WHERE ri.rtype ="
                    + " 'Patient' AND ri.id = ANY(?))) AND " + keysCond + ")";
        }
        return referenceKeys(def, modifier, value, a, out);
    }

    /**
     * The Patient ids a {@code subject} (or {@code patient}) search names, when each value names a Patient: the rows
     * that match carry that patient's key (the writer puts the subject's patient first), or empty.
     */
    private List<String> compartmentPatients(ParamDef def, String modifier, String value) {
        String code = def.code();
        boolean subject = code.equals("subject");
        boolean patient = code.equals("patient")
                && params.find(def.resourceType(), "subject").isEmpty();
        if (!subject && !patient) {
            return List.of();
        }
        if (modifier != null && !modifier.equals("Patient")) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String v : values(value)) {
            String ref = stripHistory(v);
            if (ref.startsWith("Patient/") && ref.indexOf('/', 8) < 0) {
                ids.add(ref.substring(8));
            } else if (!ref.contains("/")
                    && !ref.contains(":")
                    && ("Patient".equals(modifier) || def.targets().equals(List.of("Patient")))) {
                ids.add(ref);
            } else {
                return List.of();
            }
        }
        return ids;
    }

    /** The reference's exact-match keys ({@code :r=}, {@code :i=}) as one condition. */
    private String referenceKeys(ParamDef def, String modifier, String value, String a, List<Object> out) {
        String code = def.code();
        List<String> keys = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        for (String v : values(value)) {
            if ("identifier".equals(modifier)) {
                keys.add(code + ":i=" + v);
                continue;
            }
            String ref = stripHistory(v);
            if (modifier != null && !modifier.equals("missing")) {
                if (!Character.isUpperCase(modifier.charAt(0))) {
                    throw FhirException.badRequest(
                            code + ":" + modifier,
                            "The modifier :" + modifier + " does not apply to reference parameters");
                }
                keys.add(code + ":r=" + modifier + "/" + ref);
            } else if (ref.contains("/") || ref.contains(":")) {
                keys.add(code + ":r=" + ref);
            } else if (!def.targets().isEmpty()) {
                for (String t : def.targets()) {
                    keys.add(code + ":r=" + t + "/" + ref);
                }
            } else {
                likes.add(code + ":r=%/" + escapeLike(ref));
            }
        }
        return keysOr(a, keys, likes, out);
    }

    private static String stripHistory(String v) {
        int h = v.indexOf("/_history/");
        return h >= 0 ? v.substring(0, h) : v;
    }

    /** A chain {@code param[:Type].rest=value}: the referenced resources matching {@code rest}. */
    private String chain(
            ParamDef def, String modifier, String rest, String value, String a, List<Object> out, List<String> unk) {
        if (def.type() != ParamType.REFERENCE) {
            throw FhirException.badRequest(
                    def.code() + "." + rest, def.code() + " is not a reference: it cannot be chained");
        }
        List<String> targets = modifier != null ? List.of(modifier) : def.targets();
        if (targets.isEmpty()) {
            throw FhirException.badRequest(
                    def.code() + "." + rest,
                    "Chaining through " + def.code() + " needs a type: " + def.code() + ":Type.");
        }
        String c = "c" + Math.abs(a.hashCode() % 1000) + out.size();
        List<String> parts = new ArrayList<>();
        List<Object> local = new ArrayList<>();
        for (String t : targets) {
            List<String> unknownHere = new ArrayList<>();
            List<Object> p = new ArrayList<>();
            String inner = condition(t, rest, value, c, p, unknownHere);
            if (inner == null) {
                continue;
            }
            local.addAll(p);
            parts.add("(" + c + ".rtype = '" + t.replace("'", "") + "' AND " + inner + ")");
        }
        if (parts.isEmpty()) {
            unk.add(def.code() + "." + rest);
            return null;
        }
        List<Object> vis = new ArrayList<>();
        String visible = policy.visible(c, vis);
        out.add(def.code() + ":r=");
        out.addAll(local);
        out.addAll(vis);
        String sub = "SELECT ? || " + c + ".rtype || '/' || " + c + ".id FROM " + S + ".resource " + c + " WHERE NOT "
                + c + ".deleted AND (" + String.join(" OR ", parts) + ") AND " + visible;
        if (targets.equals(List.of("Patient")) && Set.of("subject", "patient").contains(def.code())) {
            // the patient compartment's key narrows the rows first
            List<Object> again = new ArrayList<>(out.subList(out.size() - local.size() - vis.size(), out.size()));
            out.addAll(again);
            return "(" + a + ".keys && ARRAY(" + sub + ") AND " + a + ".patient_key IN (SELECT " + c + ".res_pk FROM "
                    + S + ".resource " + c + " WHERE NOT " + c + ".deleted AND (" + String.join(" OR ", parts)
                    + ") AND " + visible + "))";
        }
        return a + ".keys && ARRAY(" + sub + ")";
    }

    /** {@code _has:Type:param:rest=value}: resources that a {@code Type} matching {@code rest} refers to by {@code param}. */
    private String reverseChain(String type, String name, String value, String a, List<Object> out, List<String> unk) {
        String[] parts = name.split(":", 4);
        if (parts.length < 4) {
            throw FhirException.badRequest(name, "_has is _has:Type:parameter:search");
        }
        String from = parts[1];
        String param = parts[2];
        String rest = parts[3];
        String h = "h" + out.size();
        List<Object> inner = new ArrayList<>();
        List<String> unknownHere = new ArrayList<>();
        String cond = condition(from, rest, value, h, inner, unknownHere);
        if (cond == null) {
            unk.add(name);
            return null;
        }
        List<Object> vis = new ArrayList<>();
        String visible = policy.visible(h, vis);
        if (from.equals("Group") && param.equals("member")) {
            out.addAll(inner);
            out.addAll(vis);
            return "EXISTS (SELECT 1 FROM " + S + ".group_member gm JOIN " + S + ".resource " + h + " ON " + h
                    + ".rtype = 'Group' AND " + h + ".res_pk = gm.group_pk WHERE gm.member_ref = " + a
                    + ".rtype || '/' || " + a + ".id AND NOT " + h + ".deleted AND " + cond + " AND " + visible + ")";
        }
        ParamDef ref = params.find(from, param)
                .orElseThrow(
                        () -> FhirException.badRequest(name, "Unknown search parameter " + param + " for " + from));
        if (ref.type() != ParamType.REFERENCE) {
            throw FhirException.badRequest(name, param + " of " + from + " is not a reference");
        }
        policy.check(from, param);
        out.add(param + ":r=");
        out.addAll(inner);
        out.addAll(vis);
        return "EXISTS (SELECT 1 FROM " + S + ".resource " + h + " WHERE " + h + ".rtype = '" + from.replace("'", "")
                + "' AND NOT " + h + ".deleted AND " + h + ".keys @> ARRAY[? || " + a + ".rtype || '/' || " + a
                + ".id] AND " + cond + " AND " + visible + ")";
    }

    /** {@code _list=<id>}: the resource's patient is a member of that Group (a cohort or a perimeter population). */
    private String list(String value, String a, List<Object> out) {
        out.add(values(value).toArray(String[]::new));
        return a + ".patient_key IN (SELECT ri.res_pk FROM " + S + ".resource g JOIN " + S + ".group_member gm ON"
                + " gm.group_pk = g.res_pk JOIN " + S + ".resource_id ri ON ri.rtype = 'Patient' AND 'Patient/' ||"
                + " ri.id = gm.member_ref WHERE g.rtype = 'Group' AND g.id = ANY(?) AND NOT g.deleted"
                + " AND NOT gm.inactive)";
    }

    String date(String code, String v, String a, List<Object> out) {
        String prefix = prefixOf(v);
        DateRange d = DateRange.parse(code, v.substring(prefix.length()));
        double lo = d.low();
        double hi = d.high();
        if (prefix.equals("ap")) {
            double now = System.currentTimeMillis();
            double gap = Math.max(Math.abs(now - lo) * 0.1, hi - lo);
            lo -= gap;
            hi += gap;
        }
        int op = op(code, prefix);
        if (op == 1) {
            // a value within the searched range touches its day (month, year) bucket, or is wider than 31 days
            out.add(new String[] {d.bucketKey(code), code + ":y=*"});
            return "(" + a + ".keys && ? AND " + rangeMatch(a, params.paramId(code), op, lo, hi, out) + ")";
        }
        String cond = rangeMatch(a, params.paramId(code), op, lo, hi, out);
        double[] cover = RangeBuckets.coverOf(op, lo, hi);
        if (cover == null || !params.rangeBuckets()) {
            return cond;
        }
        // any matching value touches the interval of the condition, so it carries one of the interval's bucket keys
        return bucketed(cond, RangeBuckets.dateCover(code, cover[0], cover[1]), a, out);
    }

    /** {@code cond} and the condition that the row carries one of {@code keys}, the bucket keys of its range. */
    private static String bucketed(String cond, List<String> keys, String a, List<Object> out) {
        out.add(keys.toArray(String[]::new));
        return "(" + cond + bucketCondition(a) + ")";
    }

    /**
     * The condition that a row carries one of the bucket keys of a range condition (its parameter, a text array,
     * follows the range condition's): only a narrowing for the index, which {@link Searches} drops where it walks
     * rows in order and checks the ranges themselves.
     */
    static String bucketCondition(String a) {
        return " AND " + a + ".keys && ?::text[]";
    }

    /** {@code cond} with the condition that the row carries one of the number buckets of the range condition. */
    private String numberBuckets(String code, String prefix, double[] r, String a, List<Object> out, String cond) {
        double[] widened = widened(prefix, r);
        double[] cover = RangeBuckets.coverOf(op(code, prefix), widened[0], widened[1]);
        if (cover == null || !params.rangeBuckets()) {
            return cond;
        }
        return bucketed(cond, RangeBuckets.numberCover(code, cover[0], cover[1]), a, out);
    }

    /**
     * The condition that one of the row's ranges of parameter {@code pid} (the {@code (id, low, high)} triples of
     * {@code rng}) matches {@code [lo, hi)} under the prefix's operation, as {@code karyo_fhir.rng_match} defines it,
     * written out inline for the one operation: PostgreSQL does not inline the function, whose call costs six times
     * the expression per row.
     */
    static String rangeMatch(String a, double pid, int op, double lo, double hi, List<Object> out) {
        String i = a + "_i";
        String low = a + ".rng[" + i + " + 1]";
        String high = a + ".rng[" + i + " + 2]";
        out.add(pid);
        String within = "(" + low + " >= ?::float8 AND " + high + " <= ?::float8)";
        String cond =
                switch (op) {
                    case 1 -> within;
                    case 2 -> "NOT " + within;
                    case 3 -> high + " > ?::float8";
                    case 4 -> low + " < ?::float8";
                    case 5 -> "(" + high + " > ?::float8 OR " + within + ")";
                    case 6 -> "(" + low + " < ?::float8 OR " + within + ")";
                    case 7 -> low + " >= ?::float8";
                    case 8 -> high + " <= ?::float8";
                    default -> low + " < ?::float8 AND " + high + " > ?::float8";
                };
        switch (op) {
            case 1, 2 -> {
                out.add(lo);
                out.add(hi);
            }
            case 3, 7 -> out.add(hi);
            case 4, 8 -> out.add(lo);
            case 5 -> {
                out.add(hi);
                out.add(lo);
                out.add(hi);
            }
            case 6 -> {
                out.add(lo);
                out.add(lo);
                out.add(hi);
            }
            default -> {
                out.add(hi);
                out.add(lo);
            }
        }
        return "EXISTS (SELECT 1 FROM generate_series(1, cardinality(" + a + ".rng) - 2, 3) AS " + i + " WHERE " + a
                + ".rng[" + i + "] = ?::float8 AND " + cond + ")";
    }

    private String lastUpdated(String v, String a, List<Object> out) {
        String prefix = prefixOf(v);
        DateRange d = DateRange.parse("_lastUpdated", v.substring(prefix.length()));
        java.sql.Timestamp lo = new java.sql.Timestamp((long) d.low());
        java.sql.Timestamp hi = new java.sql.Timestamp((long) d.high());
        String col = a + ".last_updated";
        switch (prefix) {
            case "", "eq" -> {
                out.add(lo);
                out.add(hi);
                return "(" + col + " >= ? AND " + col + " < ?)";
            }
            case "ne" -> {
                out.add(lo);
                out.add(hi);
                return "NOT (" + col + " >= ? AND " + col + " < ?)";
            }
            case "gt", "sa" -> {
                out.add(hi);
                return col + " >= ?";
            }
            case "ge" -> {
                out.add(lo);
                return col + " >= ?";
            }
            case "lt", "eb" -> {
                out.add(lo);
                return col + " < ?";
            }
            case "le" -> {
                out.add(hi);
                return col + " < ?";
            }
            default -> throw FhirException.badRequest("_lastUpdated", "The prefix " + prefix + " does not apply here");
        }
    }

    private String number(String code, String v, String a, List<Object> out) {
        String prefix = prefixOf(v);
        double[] r = numberRange(code, v.substring(prefix.length()));
        String cond = range(code, params.paramId(code), prefix, r, a, out);
        return numberBuckets(code, prefix, r, a, out, cond);
    }

    private String quantity(String code, String v, String a, List<Object> out) {
        String prefix = prefixOf(v);
        String rest = v.substring(prefix.length());
        String[] parts = rest.split("\\|", -1);
        double[] r = numberRange(code, parts[0]);
        if (parts.length == 3 && !parts[1].isEmpty() && !parts[2].isEmpty()) {
            String cond = range(code, params.paramId(code + "|" + parts[1] + "|" + parts[2]), prefix, r, a, out);
            return numberBuckets(code, prefix, r, a, out, cond);
        }
        String cond = numberBuckets(code, prefix, r, a, out, range(code, params.paramId(code), prefix, r, a, out));
        if (parts.length == 3 && !parts[2].isEmpty()) {
            // the code or the unit (and "|code", which stores of index format 1 wrote for the code)
            out.add(new String[] {code + ":q=" + parts[2], code + ":q=|" + parts[2]});
            return "(" + cond + " AND " + a + ".keys && ?)";
        }
        return cond;
    }

    private String composite(ParamDef def, String v, String a, List<Object> out) {
        String[] parts = v.split("\\$", 2);
        if (parts.length != 2 || def.components().size() != 2) {
            throw FhirException.badRequest(def.code(), "A composite value is <first>$<second>");
        }
        ParamDef second =
                params.find(def.resourceType(), def.components().get(1)).orElse(null);
        String left = parts[0];
        if (second != null
                && (second.type() == ParamType.QUANTITY
                        || second.type() == ParamType.DATE
                        || second.type() == ParamType.NUMBER)) {
            String prefix = prefixOf(parts[1]);
            String[] q = parts[1].substring(prefix.length()).split("\\|", -1);
            double[] r = second.type() == ParamType.DATE
                    ? new double[] {
                        DateRange.parse(def.code(), q[0]).low(),
                        DateRange.parse(def.code(), q[0]).high()
                    }
                    : numberRange(def.code(), q[0]);
            return range(def.code(), params.paramId(def.code() + "$" + left), prefix, r, a, out);
        }
        out.add(new String[] {def.code() + ":k=" + left + "$" + parts[1]});
        return a + ".keys && ?";
    }

    private String range(String code, double pid, String prefix, double[] r, String a, List<Object> out) {
        double[] w = widened(prefix, r);
        return rangeMatch(a, pid, op(code, prefix), w[0], w[1], out);
    }

    /** The search range of a number, widened by 10 % of its value for {@code ap}. */
    private static double[] widened(String prefix, double[] r) {
        if (!prefix.equals("ap")) {
            return r;
        }
        double gap = Math.abs((r[0] + r[1]) / 2) * 0.1;
        return new double[] {r[0] - gap, r[1] + gap};
    }

    /** A decimal's precision range: {@code 5.4} stands for [5.35, 5.45). */
    static double[] numberRange(String code, String v) {
        try {
            BigDecimal d = new BigDecimal(v);
            BigDecimal half =
                    BigDecimal.ONE.movePointLeft(Math.max(d.scale(), 0) + 1).multiply(BigDecimal.valueOf(5));
            if (d.scale() < 0) {
                half = BigDecimal.valueOf(5).movePointRight(-d.scale() - 1);
            }
            return new double[] {d.subtract(half).doubleValue(), d.add(half).doubleValue()};
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(code, "The value of " + code + " is not a number");
        }
    }

    private static int op(String code, String prefix) {
        return switch (prefix) {
            case "", "eq" -> 1;
            case "ne" -> 2;
            case "gt" -> 3;
            case "lt" -> 4;
            case "ge" -> 5;
            case "le" -> 6;
            case "sa" -> 7;
            case "eb" -> 8;
            case "ap" -> 9;
            default -> throw FhirException.badRequest(code, "Unknown prefix " + prefix);
        };
    }

    static String prefixOf(String v) {
        if (v.length() > 2 && Character.isLetter(v.charAt(0)) && Character.isLetter(v.charAt(1))) {
            String p = v.substring(0, 2);
            if (Set.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap").contains(p)) {
                return p;
            }
        }
        return "";
    }

    private static String keysOr(String a, List<String> keys, List<String> likes, List<Object> out) {
        List<String> parts = new ArrayList<>();
        if (!keys.isEmpty()) {
            out.add(new LinkedHashSet<>(keys).toArray(String[]::new));
            parts.add(a + ".keys && ?");
        }
        for (String like : likes) {
            out.add(like);
            parts.add("EXISTS (SELECT 1 FROM unnest(" + a + ".keys) AS k(v) WHERE k.v LIKE ?)");
        }
        if (parts.isEmpty()) {
            return "FALSE";
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }

    private static String or(List<String> values, Function<String, String> each) {
        List<String> parts = new ArrayList<>();
        for (String v : values) {
            parts.add(each.apply(v));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }

    /** The comma-separated values of a parameter ({@code \,} is a comma inside a value). */
    static List<String> values(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                cur.append(value.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Today in UTC (computed parameters). */
    static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
