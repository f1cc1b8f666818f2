package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.hl7.fhir.r5.model.Address;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.ContactPoint;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Enumeration;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Money;
import org.hl7.fhir.r5.model.Period;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Range;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.SampledData;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Timing;
import org.hl7.fhir.r5.model.UriType;

/**
 * Extracts the search index of a resource ({@link ResourceIndex}) for every indexed parameter of its type, in the
 * layout of {@code docs/design/fhir.md}. Thread-safe; per-type plans are cached and rebuilt when the registry changes.
 *
 * <p>Value mapping, per parameter type:
 *
 * <ul>
 *   <li>token: Coding → {@code :s=system|code}, {@code :c=code}, {@code :n=code} when it has no system, {@code :x=}
 *       its display (normalised, whole: {@code :text} matches it as a prefix per resource); CodeableConcept → its codings and {@code :x=} of its text; CodeableReference → its
 *       concept; Identifier → {@code :s=system|value}, {@code :c=}, {@code :n=}, {@code :t=typeSystem|typeCode|value}
 *       per type coding, {@code :x=} of the type's text; ContactPoint → as a code {@code value} in system {@code
 *       phone|email|…} (as HAPI does); code enumerations → their system ({@link Enumeration#getSystem()}) and code;
 *       boolean and other primitives → {@code :c=} and {@code :n=}. References are not tokens.
 *   <li>string: {@code :p=} normalised prefixes (up to 32 characters) plus the whole normalised value, {@code :e=}
 *       the exact value; HumanName → family, given, prefix, suffix, text; Address → line, city, district, state,
 *       postalCode, country, text.
 *   <li>uri: {@code :u=value}, and for a canonical {@code url|version} also {@code :u=url}.
 *   <li>reference: {@code :r=Type/id} (history dropped; a bare id gets the type when the parameter has one target),
 *       absolute and {@code urn:} references as they are, a canonical as its url (and {@code url|version}); contained
 *       ({@code #id}) references write nothing; {@code :i=system|value} and {@code :i=value} for the identifier.
 *   <li>date: rng {@code [low, high)} in epoch ms of each date/dateTime/instant, Period, Timing event or bounds;
 *       {@code :d= :m=} and {@code :y=} (year, decade, century) buckets of the UTC days a range touches when they
 *       are at most 31 of the years 1000–2199, else {@code :y=*} ({@link RangeBuckets}).
 *   <li>number: rng of the implicit precision range; {@code :v=} magnitude buckets ({@link RangeBuckets}).
 *   <li>quantity: rng of the precision range (open on the side of a comparator), under {@code paramId(code)} and,
 *       with a coded unit, {@code paramId(code|system|unit)}; {@code :v=} buckets; keys {@code :q=system|code}, {@code :q=code}, {@code
 *       :q=unit}. Money is {@code urn:iso:std:iso:4217|currency}; a Range is [low, high]; SampledData is not indexed
 *       (as in HAPI).
 *   <li>composite: when all components give keys, {@code :k=a$b}; when the last one gives ranges, rng under {@code
 *       paramId(code$a)} (and {@code code$a|system|unit} for a coded quantity). Token parts are written in both forms
 *       {@code system|code} ({@code |code} without system) and {@code code}; string parts normalised; reference parts
 *       as {@code :r=} values.
 *   <li>{@code :*} for every parameter that wrote something.
 * </ul>
 */
public final class IndexExtractor {
    private static final String ISO_4217 = "urn:iso:std:iso:4217";
    private static final int MAX_COMPOSITE_COMBINATIONS = 256;
    /** Distinct text values whose prefix keys are kept (displays of common codes repeat across resources). */
    private static final int TEXT_CACHE_SIZE = 50_000;

    private final SearchParamRegistry registry;
    private final ReferenceWalker walker;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Double> ids = new ConcurrentHashMap<>();
    private final Map<String, String[]> textKeys = new ConcurrentHashMap<>();
    /** Test hook: called with each value the extractor does not know how to index for its parameter's type. */
    volatile BiConsumer<SearchParam, Base> unhandled;

    public IndexExtractor(SearchParamRegistry registry) {
        this(registry, FhirContext.forR5Cached());
    }

    public IndexExtractor(SearchParamRegistry registry, FhirContext fhir) {
        this.registry = registry;
        this.walker = new ReferenceWalker(fhir);
    }

    /** The registry this extractor reads. */
    public SearchParamRegistry registry() {
        return registry;
    }

    /** The index of a resource. */
    public ResourceIndex extract(Resource resource) {
        String type = resource.fhirType();
        Plan plan = plan(type);
        Sink sink = new Sink();
        boolean patient = "Patient".equals(type);
        for (ParamPlan pp : plan.params) {
            List<Base> values = pp.param.path().evaluate(resource);
            if (values.isEmpty()) {
                continue;
            }
            int keys = sink.keys.size();
            int rng = sink.rng.size;
            switch (pp.param.type()) {
                case TOKEN -> {
                    for (Base v : values) {
                        token(pp, v, sink);
                    }
                }
                case STRING -> {
                    for (Base v : values) {
                        string(pp, v, sink);
                    }
                }
                case URI -> {
                    for (Base v : values) {
                        uri(pp, v, sink);
                    }
                }
                case REFERENCE -> {
                    for (Base v : values) {
                        reference(pp, v, sink);
                    }
                }
                case DATE -> {
                    for (Base v : values) {
                        date(pp, v, sink);
                    }
                }
                case NUMBER -> {
                    for (Base v : values) {
                        number(pp, v, sink);
                    }
                }
                case QUANTITY -> {
                    for (Base v : values) {
                        quantity(pp, v, pp.name, pp.id, sink, true);
                    }
                }
                case COMPOSITE -> composite(pp, resource, values, sink);
                default -> {}
            }
            if (pp.patientCompartment && !patient) {
                for (Base v : values) {
                    patientRef(pp, v, sink);
                }
            }
            if (sink.keys.size() > keys || sink.rng.size > rng) {
                sink.keys.add(pp.present);
            }
        }
        if (patient && resource.getIdPart() != null) {
            // a Patient is in its own compartment only (not in those of the patients its 'link' names)
            sink.patients.add("Patient/" + resource.getIdPart());
        }
        Set<String> references = new TreeSet<>();
        walker.collect(resource, references);
        return new ResourceIndex(
                List.copyOf(sink.keys),
                sink.rng.toArray(),
                Collections.unmodifiableSet(sink.patients),
                Collections.unmodifiableSet(references));
    }

    // ------------------------------------------------------------------ plans

    private record Plan(long version, ParamPlan[] params) {}

    /** A parameter with its key prefixes computed once. */
    private static final class ParamPlan {
        final SearchParam param;
        final String name;
        final double id;
        final String s;
        final String c;
        final String n;
        final String t;
        final String x;
        final String p;
        final String e;
        final String u;
        final String r;
        final String i;
        final String y;
        final String m;
        final String d;
        final String q;
        final String v;
        final String k;
        final String present;
        final boolean patientCompartment;

        ParamPlan(SearchParam param) {
            this.param = param;
            this.patientCompartment = param.inPatientCompartment();
            String code = param.code();
            this.name = code;
            this.id = IndexValues.paramId(code);
            this.s = code + ":s=";
            this.c = code + ":c=";
            this.n = code + ":n=";
            this.t = code + ":t=";
            this.x = code + ":x=";
            this.p = code + ":p=";
            this.e = code + ":e=";
            this.u = code + ":u=";
            this.r = code + ":r=";
            this.i = code + ":i=";
            this.y = code + ":y=";
            this.m = code + ":m=";
            this.d = code + ":d=";
            this.q = code + ":q=";
            this.v = code + ":v=";
            this.k = code + ":k=";
            this.present = code + ":*";
        }
    }

    private Plan plan(String type) {
        long version = registry.version();
        Plan plan = plans.get(type);
        if (plan == null || plan.version != version) {
            List<ParamPlan> list = new ArrayList<>();
            for (SearchParam p : registry.forType(type)) {
                // a union of other parameters (combo-code) is answered through them: writing it would repeat their keys
                if (p.indexed()
                        && !p.path().isEmpty()
                        && registry.derivedFrom(type, p.code()).isEmpty()) {
                    list.add(new ParamPlan(p));
                }
            }
            plan = new Plan(version, list.toArray(new ParamPlan[0]));
            plans.put(type, plan);
        }
        return plan;
    }

    // ------------------------------------------------------------------ output

    private static final class Sink {
        final LinkedHashSet<String> keys = new LinkedHashSet<>(64);
        final DoubleList rng = new DoubleList();
        final Set<String> patients = new TreeSet<>();

        void key(String prefix, String value) {
            if (value != null && !value.isEmpty() && value.length() <= IndexValues.MAX_VALUE_CHARS) {
                keys.add(prefix.concat(value));
            }
        }

        void range(double id, double low, double high) {
            rng.add(id, low, high);
        }
    }

    private static final class DoubleList {
        double[] a = new double[24];
        int size;

        void add(double x, double y, double z) {
            if (size + 3 > a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = x;
            a[size++] = y;
            a[size++] = z;
        }

        double[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private void unhandled(ParamPlan pp, Base v) {
        BiConsumer<SearchParam, Base> u = unhandled;
        if (u != null) {
            u.accept(pp.param, v);
        }
    }

    // ------------------------------------------------------------------ token

    private void token(ParamPlan pp, Base v, Sink sink) {
        if (v instanceof CodeableConcept cc) {
            concept(pp, cc, sink);
        } else if (v instanceof Coding coding) {
            coding(pp, coding, sink);
        } else if (v instanceof Identifier id) {
            identifier(pp, id, sink);
        } else if (v instanceof CodeableReference cr) {
            if (cr.hasConcept()) {
                concept(pp, cr.getConcept(), sink);
            }
        } else if (v instanceof ContactPoint cp) {
            if (cp.hasValue()) {
                code(pp, cp.hasSystem() ? cp.getSystemElement().getCode() : null, cp.getValue(), sink);
            }
        } else if (v instanceof Enumeration<?> en) {
            if (en.getValue() != null) {
                code(pp, en.getSystem(), en.getCode(), sink);
            }
        } else if (v instanceof PrimitiveType<?> prim) {
            if (prim.hasValue()) {
                code(pp, null, prim.getValueAsString(), sink);
            }
        } else if (!(v instanceof Reference)) {
            unhandled(pp, v);
        }
    }

    private void concept(ParamPlan pp, CodeableConcept cc, Sink sink) {
        for (Coding coding : cc.getCoding()) {
            coding(pp, coding, sink);
        }
        if (cc.hasText()) {
            display(pp.x, cc.getText(), sink);
        }
    }

    private void coding(ParamPlan pp, Coding coding, Sink sink) {
        if (coding.hasCode()) {
            code(pp, coding.getSystem(), coding.getCode(), sink);
        }
        if (coding.hasDisplay()) {
            display(pp.x, coding.getDisplay(), sink);
        }
    }

    private static void code(ParamPlan pp, String system, String code, Sink sink) {
        if (code == null || code.isEmpty()) {
            return;
        }
        if (system != null && !system.isEmpty()) {
            sink.key(pp.s, system + "|" + code);
            sink.key(pp.c, code);
        } else {
            sink.key(pp.c, code);
            sink.key(pp.n, code);
        }
    }

    private void identifier(ParamPlan pp, Identifier id, Sink sink) {
        String value = id.getValue();
        if (value != null && !value.isEmpty()) {
            code(pp, id.getSystem(), value, sink);
            if (id.hasType()) {
                for (Coding tc : id.getType().getCoding()) {
                    if (tc.hasCode()) {
                        sink.key(pp.t, nz(tc.getSystem()) + "|" + tc.getCode() + "|" + value);
                    }
                }
            }
        }
        if (id.hasType() && id.getType().hasText()) {
            display(pp.x, id.getType().getText(), sink);
        }
    }

    /**
     * The key of a token's text (a display, a CodeableConcept's text): its normalised value, whole, once. A {@code
     * :text} search matches it as a prefix, checked per resource: prefix keys of every length, as strings have, would
     * more than double the index of a typical coded resource for a modifier that searches rarely use alone.
     */
    private static void display(String prefix, String raw, Sink sink) {
        if (raw == null) {
            return;
        }
        String v = IndexValues.normalize(raw);
        if (!v.isEmpty()) {
            sink.keys.add(prefix.concat(
                    v.length() > IndexValues.MAX_VALUE_CHARS ? v.substring(0, IndexValues.MAX_VALUE_CHARS) : v));
        }
    }

    /** Every normalised prefix up to 32 characters, plus the whole normalised value. */
    private void text(String prefix, String raw, Sink sink) {
        String cacheKey = prefix.concat(raw);
        String[] keys = textKeys.get(cacheKey);
        if (keys == null) {
            keys = textKeys(prefix, raw);
            if (textKeys.size() < TEXT_CACHE_SIZE && raw.length() <= 256) {
                textKeys.put(cacheKey, keys);
            }
        }
        Collections.addAll(sink.keys, keys);
    }

    private static String[] textKeys(String prefix, String raw) {
        String v = IndexValues.normalize(raw);
        int len = v.length();
        if (len == 0) {
            return new String[0];
        }
        List<String> keys = new ArrayList<>(IndexValues.MAX_PREFIX + 1);
        int max = Math.min(len, IndexValues.MAX_PREFIX);
        for (int i = 1; i <= max; i++) {
            char last = v.charAt(i - 1);
            if (i < len && (last == ' ' || Character.isHighSurrogate(last))) {
                continue; // a query is trimmed, so a prefix ending with a space is never looked up
            }
            keys.add(prefix.concat(v.substring(0, i)));
        }
        if (len > max && len <= IndexValues.MAX_VALUE_CHARS) {
            keys.add(prefix.concat(v));
        }
        return keys.toArray(new String[0]);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ------------------------------------------------------------------ string

    private void string(ParamPlan pp, Base v, Sink sink) {
        if (v instanceof HumanName hn) {
            str(pp, hn.getFamily(), sink);
            for (StringType g : hn.getGiven()) {
                str(pp, g.getValue(), sink);
            }
            for (StringType g : hn.getPrefix()) {
                str(pp, g.getValue(), sink);
            }
            for (StringType g : hn.getSuffix()) {
                str(pp, g.getValue(), sink);
            }
            str(pp, hn.getText(), sink);
        } else if (v instanceof Address a) {
            for (StringType l : a.getLine()) {
                str(pp, l.getValue(), sink);
            }
            str(pp, a.getCity(), sink);
            str(pp, a.getDistrict(), sink);
            str(pp, a.getState(), sink);
            str(pp, a.getPostalCode(), sink);
            str(pp, a.getCountry(), sink);
            str(pp, a.getText(), sink);
        } else if (v instanceof PrimitiveType<?> prim) {
            if (prim.hasValue() && !(prim instanceof BooleanType) && !(prim instanceof BaseDateTimeType)) {
                str(pp, prim.getValueAsString(), sink);
            } else if (prim.hasValue()) {
                unhandled(pp, v);
            }
        } else if (v instanceof CodeableConcept cc) {
            str(pp, cc.getText(), sink);
            for (Coding c : cc.getCoding()) {
                str(pp, c.getDisplay(), sink);
            }
        } else if (v instanceof Coding c) {
            str(pp, c.getDisplay(), sink);
        } else if (v instanceof ContactPoint cp) {
            str(pp, cp.getValue(), sink);
        } else if (v instanceof Identifier id) {
            str(pp, id.getValue(), sink);
        } else {
            unhandled(pp, v);
        }
    }

    private void str(ParamPlan pp, String raw, Sink sink) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        text(pp.p, raw, sink);
        sink.key(pp.e, raw);
    }

    // ------------------------------------------------------------------ uri

    private void uri(ParamPlan pp, Base v, Sink sink) {
        if (v instanceof PrimitiveType<?> prim) {
            if (prim.hasValue()) {
                String s = prim.getValueAsString();
                sink.key(pp.u, s);
                int bar = s.indexOf('|');
                if (bar > 0) {
                    sink.key(pp.u, s.substring(0, bar));
                }
            }
        } else if (v instanceof Reference ref && ref.hasReference()) {
            sink.key(pp.u, ref.getReference());
        } else {
            unhandled(pp, v);
        }
    }

    // ------------------------------------------------------------------ reference

    private void reference(ParamPlan pp, Base v, Sink sink) {
        if (v instanceof Reference ref) {
            String target = referenceValue(pp.param, ref.getReference());
            sink.key(pp.r, target);
            if (ref.hasIdentifier() && ref.getIdentifier().hasValue()) {
                Identifier id = ref.getIdentifier();
                sink.key(pp.i, nz(id.getSystem()) + "|" + id.getValue());
                sink.key(pp.i, id.getValue());
            }
        } else if (v instanceof CanonicalType c) {
            if (c.hasValue()) {
                String s = c.getValue();
                int bar = s.indexOf('|');
                sink.key(pp.r, bar > 0 ? s.substring(0, bar) : s);
                if (bar > 0) {
                    sink.key(pp.r, s);
                }
            }
        } else if (v instanceof UriType u) {
            if (u.hasValue()) {
                sink.key(pp.r, u.getValue());
            }
        } else if (v instanceof CodeableReference cr) {
            if (cr.hasReference()) {
                reference(pp, cr.getReference(), sink);
            }
        } else if (v instanceof Resource res) {
            if (res.getIdPart() != null) {
                sink.key(pp.r, res.fhirType() + "/" + res.getIdPart());
            }
        } else {
            unhandled(pp, v);
        }
    }

    /** The {@code :r=} value of a reference string, or null. */
    static String referenceValue(SearchParam param, String r) {
        if (r == null || r.isEmpty() || r.charAt(0) == '#') {
            return null;
        }
        String local = ReferenceWalker.localReference(r);
        if (local != null) {
            return local;
        }
        if (r.indexOf('/') < 0 && r.indexOf(':') < 0 && param.targets().size() == 1) {
            return param.targets().get(0) + "/" + r;
        }
        return r;
    }

    private static void patientRef(ParamPlan pp, Base v, Sink sink) {
        Reference ref = v instanceof Reference r
                ? r
                : v instanceof CodeableReference cr && cr.hasReference() ? cr.getReference() : null;
        if (ref == null) {
            return;
        }
        String r = referenceValue(pp.param, ref.getReference());
        if (r == null && ref.hasReference() && "Patient".equals(ref.getType())) {
            String local = ReferenceWalker.localReference("Patient/" + ref.getReference());
            r = local;
        }
        if (r != null && r.startsWith("Patient/") && r.indexOf('/', 8) < 0) {
            sink.patients.add(r);
        }
    }

    // ------------------------------------------------------------------ date

    private void date(ParamPlan pp, Base v, Sink sink) {
        if (v instanceof BaseDateTimeType dt) {
            if (dt.hasValue()) {
                double[] r = IndexValues.dateRange(dt.getValueAsString());
                if (r != null) {
                    dateRange(pp, r[0], r[1], sink);
                }
            }
        } else if (v instanceof Period period) {
            double[] r = periodRange(period);
            if (r != null) {
                dateRange(pp, r[0], r[1], sink);
            }
        } else if (v instanceof Timing timing) {
            for (DateTimeType event : timing.getEvent()) {
                date(pp, event, sink);
            }
            if (timing.hasRepeat() && timing.getRepeat().hasBoundsPeriod()) {
                date(pp, timing.getRepeat().getBoundsPeriod(), sink);
            }
        } else {
            unhandled(pp, v);
        }
    }

    static double[] periodRange(Period period) {
        double[] s = period.hasStart()
                ? IndexValues.dateRange(period.getStartElement().getValueAsString())
                : null;
        double[] e =
                period.hasEnd() ? IndexValues.dateRange(period.getEndElement().getValueAsString()) : null;
        if (s == null && e == null) {
            return null;
        }
        if (s != null && e != null && e[1] <= s[0]) {
            // an end before the start (invalid, but not refused by the parser): the range covering both
            return new double[] {Math.min(s[0], e[0]), Math.max(s[1], e[1])};
        }
        return new double[] {s == null ? IndexValues.NEG_INF : s[0], e == null ? IndexValues.POS_INF : e[1]};
    }

    private static void dateRange(ParamPlan pp, double low, double high, Sink sink) {
        sink.range(pp.id, low, high);
        long days = IndexValues.daysTouched(low, high);
        long first = days > IndexValues.MAX_BUCKET_DAYS ? 0 : IndexValues.day(low);
        long last = first + days - 1;
        if (days > IndexValues.MAX_BUCKET_DAYS || !RangeBuckets.bucketedDay(first) || !RangeBuckets.bucketedDay(last)) {
            sink.keys.add(pp.y + "*");
            return;
        }
        for (long day = first; day <= last; day++) {
            java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
            String month = RangeBuckets.year(d.getYear()) + "-" + RangeBuckets.two(d.getMonthValue());
            RangeBuckets.yearKeys(pp.y, d.getYear(), sink.keys);
            sink.keys.add(pp.m + month);
            sink.keys.add(pp.d + month + "-" + RangeBuckets.two(d.getDayOfMonth()));
        }
    }

    // ------------------------------------------------------------------ number, quantity

    private void number(ParamPlan pp, Base v, Sink sink) {
        BigDecimal d = decimal(v);
        if (d != null) {
            double[] r = IndexValues.numberRange(d);
            sink.range(pp.id, r[0], r[1]);
            RangeBuckets.numberKeys(pp.v, r[0], r[1], sink.keys);
        } else if (!(v instanceof PrimitiveType<?> prim && !prim.hasValue())) {
            unhandled(pp, v);
        }
    }

    private static BigDecimal decimal(Base v) {
        if (v instanceof DecimalType d) {
            return d.getValue();
        }
        if (v instanceof IntegerType i) {
            return i.getValue() == null ? null : BigDecimal.valueOf(i.getValue());
        }
        if (v instanceof Integer64Type i) {
            return i.getValue() == null ? null : BigDecimal.valueOf(i.getValue());
        }
        return null;
    }

    /**
     * Indexes a quantity-like value under {@code name}/{@code id}; {@code keys} says whether to write the unit keys
     * (not for composites).
     */
    private boolean quantity(ParamPlan pp, Base v, String name, double id, Sink sink, boolean keys) {
        if (v instanceof Quantity qty) {
            if (!qty.hasValue()) {
                return false;
            }
            double[] r = IndexValues.numberRange(qty.getValue());
            if (qty.hasComparator()) {
                switch (qty.getComparator()) {
                    case LESS_THAN, LESS_OR_EQUAL -> r[0] = IndexValues.NEG_INF;
                    case GREATER_THAN, GREATER_OR_EQUAL -> r[1] = IndexValues.POS_INF;
                    default -> {}
                }
            }
            unitRange(pp, name, id, qty.getSystem(), qty.getCode(), qty.getUnit(), r, sink, keys);
            return true;
        }
        if (v instanceof Money money) {
            if (!money.hasValue()) {
                return false;
            }
            double[] r = IndexValues.numberRange(money.getValue());
            String currency = money.hasCurrency() ? money.getCurrency() : null;
            unitRange(pp, name, id, currency == null ? null : ISO_4217, currency, null, r, sink, keys);
            return true;
        }
        if (v instanceof Range range) {
            Quantity lo = range.hasLow() && range.getLow().hasValue() ? range.getLow() : null;
            Quantity hi = range.hasHigh() && range.getHigh().hasValue() ? range.getHigh() : null;
            if (lo == null && hi == null) {
                return false;
            }
            double[] r = {
                lo == null ? IndexValues.NEG_INF : IndexValues.numberRange(lo.getValue())[0],
                hi == null ? IndexValues.POS_INF : IndexValues.numberRange(hi.getValue())[1]
            };
            if (lo != null && hi != null && r[1] <= r[0]) {
                // a high below the low (invalid, but not refused by the parser): the range covering both
                double[] l = IndexValues.numberRange(lo.getValue());
                double[] h = IndexValues.numberRange(hi.getValue());
                r = new double[] {Math.min(l[0], h[0]), Math.max(l[1], h[1])};
            }
            Quantity unit = lo != null ? lo : hi;
            unitRange(pp, name, id, unit.getSystem(), unit.getCode(), unit.getUnit(), r, sink, keys);
            return true;
        }
        if (!(v instanceof SampledData)) {
            unhandled(pp, v);
        }
        return false;
    }

    private void unitRange(
            ParamPlan pp,
            String name,
            double id,
            String system,
            String code,
            String unit,
            double[] r,
            Sink sink,
            boolean keys) {
        sink.range(id, r[0], r[1]);
        boolean hasSystem = system != null && !system.isEmpty();
        boolean hasCode = code != null && !code.isEmpty();
        if (hasSystem && hasCode) {
            sink.range(id(name + "|" + system + "|" + code), r[0], r[1]);
        }
        if (keys) {
            RangeBuckets.numberKeys(pp.v, r[0], r[1], sink.keys);
            if (hasSystem && hasCode) {
                sink.key(pp.q, system + "|" + code);
            }
            if (hasCode) {
                // the code alone, as the unit is (one key when they are the same, as UCUM's usually are)
                sink.key(pp.q, code);
            }
            if (unit != null && !unit.isEmpty()) {
                sink.key(pp.q, unit);
            }
        }
    }

    private double id(String name) {
        Double d = ids.get(name);
        if (d == null) {
            d = (double) IndexValues.paramId(name);
            if (ids.size() < 100_000) {
                ids.put(name, d);
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ composite

    private void composite(ParamPlan pp, Resource resource, List<Base> roots, Sink sink) {
        List<SearchParam.Component> comps = pp.param.components();
        int last = comps.size() - 1;
        boolean ranged = comps.get(last).type().ranged();
        for (int i = 0; i < (ranged ? last : comps.size()); i++) {
            if (comps.get(i).type().ranged()) {
                return; // a range before the last component cannot be keyed (Ingredient ratios, ResearchStudy)
            }
        }
        for (Base root : roots) {
            List<String> combos = List.of("");
            for (int i = 0; i < (ranged ? last : comps.size()); i++) {
                SearchParam.Component comp = comps.get(i);
                List<String> parts = new ArrayList<>();
                for (Base v : comp.path().evaluate(root, resource)) {
                    parts(comp.type(), v, pp.param, parts);
                }
                if (parts.isEmpty()) {
                    combos = List.of();
                    break;
                }
                List<String> next = new ArrayList<>();
                for (String c : combos) {
                    for (String part : parts) {
                        if (next.size() < MAX_COMPOSITE_COMBINATIONS) {
                            next.add(c.isEmpty() && i == 0 ? part : c + "$" + part);
                        }
                    }
                }
                combos = next;
            }
            if (combos.isEmpty()) {
                continue;
            }
            if (!ranged) {
                for (String c : combos) {
                    sink.key(pp.k, c);
                }
                continue;
            }
            SearchParam.Component comp = comps.get(last);
            for (Base v : comp.path().evaluate(root, resource)) {
                for (String c : combos) {
                    String name = pp.name + "$" + c;
                    compositeRange(pp, comp.type(), v, name, sink);
                }
            }
        }
    }

    private void compositeRange(ParamPlan pp, ParamType type, Base v, String name, Sink sink) {
        double id = id(name);
        switch (type) {
            case QUANTITY -> quantity(pp, v, name, id, sink, false);
            case NUMBER -> {
                BigDecimal d = decimal(v);
                if (d != null) {
                    double[] r = IndexValues.numberRange(d);
                    sink.range(id, r[0], r[1]);
                }
            }
            case DATE -> {
                double[] r = null;
                if (v instanceof BaseDateTimeType dt && dt.hasValue()) {
                    r = IndexValues.dateRange(dt.getValueAsString());
                } else if (v instanceof Period period) {
                    r = periodRange(period);
                }
                if (r != null) {
                    sink.range(id, r[0], r[1]);
                }
            }
            default -> {}
        }
    }

    /**
     * The forms a component value takes in a composite key, by the kind of value (a coded value gives token forms, a
     * Reference its {@code :r=} value, a string its normalised form when the component is a string parameter).
     */
    private static void parts(ParamType type, Base v, SearchParam param, List<String> out) {
        if (v instanceof CodeableConcept cc) {
            for (Coding c : cc.getCoding()) {
                tokenParts(c.getSystem(), c.getCode(), out);
            }
        } else if (v instanceof Coding c) {
            tokenParts(c.getSystem(), c.getCode(), out);
        } else if (v instanceof Identifier id) {
            tokenParts(id.getSystem(), id.getValue(), out);
        } else if (v instanceof CodeableReference cr) {
            if (cr.hasConcept()) {
                parts(type, cr.getConcept(), param, out);
            }
            if (cr.hasReference()) {
                parts(type, cr.getReference(), param, out);
            }
        } else if (v instanceof Enumeration<?> en) {
            if (en.getValue() != null) {
                tokenParts(en.getSystem(), en.getCode(), out);
            }
        } else if (v instanceof ContactPoint cp) {
            if (cp.hasValue()) {
                tokenParts(cp.hasSystem() ? cp.getSystemElement().getCode() : null, cp.getValue(), out);
            }
        } else if (v instanceof Reference ref) {
            String s = referenceValue(param, ref.getReference());
            if (s != null) {
                out.add(s);
            }
        } else if (v instanceof PrimitiveType<?> p && p.hasValue()) {
            String s = p.getValueAsString();
            if (type == ParamType.STRING) {
                s = IndexValues.normalize(s);
                if (!s.isEmpty()) {
                    out.add(s);
                }
            } else if (type == ParamType.TOKEN) {
                tokenParts(null, s, out);
            } else {
                out.add(s);
            }
        }
    }

    private static void tokenParts(String system, String code, List<String> out) {
        if (code == null || code.isEmpty()) {
            return;
        }
        out.add((system == null ? "" : system) + "|" + code);
        out.add(code);
    }
}
