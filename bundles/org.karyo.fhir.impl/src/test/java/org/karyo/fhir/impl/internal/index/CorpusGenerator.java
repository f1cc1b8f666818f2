package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildNarrativeDefinition;
import ca.uhn.fhir.context.RuntimeChildPrimitiveEnumerationDatatypeDefinition;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import ca.uhn.fhir.context.RuntimeChildUndeclaredExtensionDefinition;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Composition;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Enumeration;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.MessageHeader;
import org.hl7.fhir.r5.model.Meta;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.QuestionnaireResponse;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;

/**
 * Builds a richly populated instance of any R5 resource type by walking HAPI's model definitions: every element down
 * to a depth limit, one alternative of each choice element (varying with the variant), lists of one or two items,
 * sample values for every primitive type, references to {@code Patient/p1}, {@code Organization/o1} and the other
 * allowed target types in several forms (relative, absolute, {@code urn:uuid} with a type, contained). Deterministic
 * for a seed, type and variant.
 */
public final class CorpusGenerator {
    private static final Pattern EXTENSION_URL = Pattern.compile("extension\\('([^']+)'\\)");
    private static final Pattern WHERE_LITERAL = Pattern.compile("where\\(\\w+ ?= ?'([^']+)'\\)");
    private static final String[] WORDS = {
        "Émile Zola",
        "Smith",
        "heart rate",
        "Ångström",
        "de la Fontaine",
        "glucose",
        "Müller",
        "blood pressure",
        "O'Brien",
        "Nuñez"
    };
    private static final String[] DATE_TIMES = {
        "2024", "2024-09", "2024-09-03", "2024-09-03T10:15:30Z", "2024-09-03T10:15:30.123+02:00", "2023-12-31T23:59:59Z"
    };
    private static final String[] DATES = {"2024", "2024-09", "2024-09-03", "1987-02-28"};
    private static final String[] DECIMALS = {"12.5", "0.75", "100", "3.14159", "-4.0"};

    private final FhirContext fhir;
    private final long seed;
    private final int maxDepth;
    /** The codes search parameters filter on ({@code where(type='composed-of')}): preferred for coded elements. */
    private final java.util.Set<String> filterCodes = new java.util.HashSet<>();

    public CorpusGenerator(FhirContext fhir, long seed) {
        this(fhir, seed, 4);
    }

    public CorpusGenerator(FhirContext fhir, long seed, int maxDepth) {
        this.fhir = fhir;
        this.seed = seed;
        this.maxDepth = maxDepth;
        for (String type : fhir.getResourceTypes()) {
            for (var p : fhir.getResourceDefinition(type).getSearchParams()) {
                if (p.getPath() != null) {
                    Matcher m = WHERE_LITERAL.matcher(p.getPath());
                    while (m.find()) {
                        filterCodes.add(m.group(1));
                    }
                }
            }
        }
    }

    /** The R5 resource types, sorted. */
    public List<String> types() {
        return new ArrayList<>(new TreeSet<>(fhir.getResourceTypes()));
    }

    /** {@code variants} instances of every resource type. */
    public List<Resource> corpus(int variants) {
        List<Resource> all = new ArrayList<>();
        for (String type : types()) {
            for (int v = 0; v < variants; v++) {
                all.add(generate(type, v));
            }
        }
        return all;
    }

    /** One instance of {@code type}; variant 2 points its Patient references to a contained Patient. */
    public Resource generate(String type, int variant) {
        State s = new State(new SplittableRandom(seed ^ (type.hashCode() * 31L + variant)), variant);
        RuntimeResourceDefinition def = fhir.getResourceDefinition(type);
        Resource r = (Resource) def.newInstance();
        r.setId(type.toLowerCase(java.util.Locale.ROOT).substring(0, Math.min(3, type.length())) + variant);
        populate(r, def, 0, s);
        meta(r, s);
        extensions(r, type, s);
        if (r instanceof Bundle b) {
            bundle(b, variant);
        }
        if (r instanceof QuestionnaireResponse qr) {
            QuestionnaireResponse.QuestionnaireResponseItemComponent item =
                    qr.addItem().setLinkId("subject");
            item.addExtension(
                    "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-isSubject", new BooleanType(true));
            item.addAnswer().setValue(new Reference("Patient/p1"));
        }
        if (variant % 4 == 2 && r instanceof DomainResource dr) {
            containPatients(dr);
        }
        return r;
    }

    private final class State {
        final SplittableRandom random;
        final int variant;
        int counter;

        State(SplittableRandom random, int variant) {
            this.random = random;
            this.variant = variant;
        }

        int next() {
            return counter++;
        }
    }

    private void populate(IBase target, BaseRuntimeElementCompositeDefinition<?> def, int depth, State s) {
        populate(target, def, depth, s, def.getName());
    }

    private void populate(IBase target, BaseRuntimeElementCompositeDefinition<?> def, int depth, State s, String path) {
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            if (child instanceof RuntimeChildExtension
                    || child instanceof RuntimeChildUndeclaredExtensionDefinition
                    || child instanceof RuntimeChildContainedResources
                    || child instanceof RuntimeChildNarrativeDefinition) {
                continue;
            }
            String name = child.getElementName();
            if (name.equals("meta") || name.equals("id") && depth > 0 || name.equals("implicitRules")) {
                continue;
            }
            if (name.equals("id") && depth == 0) {
                continue;
            }
            // skip a part of the optional elements, so that instances differ
            if (depth > 0 && child.getMin() == 0 && s.random.nextInt(10) < 2 + depth) {
                continue;
            }
            int count = child.getMax() == 1 ? 1 : (depth <= 1 ? 2 : 1);
            for (int i = 0; i < count; i++) {
                IBase value = value(child, depth, s, i, path + "." + name);
                if (value != null) {
                    child.getMutator().addValue(target, value);
                }
            }
        }
    }

    /** An index in [0, n) that takes every value over n consecutive variants, for one element path. */
    private static int pick(State s, String path, int index, int n) {
        return Math.floorMod(s.variant + path.hashCode() + 3 * index, n);
    }

    private IBase value(BaseRuntimeChildDefinition child, int depth, State s, int index, String path) {
        List<String> names = new ArrayList<>(new TreeSet<>(child.getValidChildNames()));
        if (names.isEmpty()) {
            return null;
        }
        String chosen = child instanceof RuntimeChildChoiceDefinition
                ? names.get(pick(s, path, index, names.size()))
                : names.get(0);
        if (child instanceof RuntimeChildDirectResource) {
            return null; // nested resources (Bundle.entry.resource, Parameters.parameter.resource) are set apart
        }
        BaseRuntimeElementDefinition<?> def = child.getChildByName(chosen);
        if (def == null) {
            return null;
        }
        if (def instanceof RuntimeResourceDefinition) {
            return null;
        }
        IBase v = def.newInstance(child.getInstanceConstructorArguments());
        if (v instanceof Reference ref) {
            List<String> targets = new ArrayList<>();
            if (child instanceof RuntimeChildResourceDefinition rd) {
                for (Class<? extends IBaseResource> c : rd.getResourceTypes()) {
                    if (c.isInterface() || java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                        continue;
                    }
                    String t = fhir.getResourceType(c);
                    if (!t.equals("Resource") && !t.equals("DomainResource")) {
                        targets.add(t);
                    }
                }
            }
            reference(ref, targets, s, pick(s, path, index, Math.max(1, targets.size())));
            return v;
        }
        if (v instanceof Enumeration<?> e && child instanceof RuntimeChildPrimitiveEnumerationDatatypeDefinition ed) {
            return enumValue(e, ed.getBoundEnumType(), s, path, index) ? e : null;
        }
        if (def instanceof RuntimePrimitiveDatatypeDefinition) {
            return primitive((PrimitiveType<?>) v, def.getName(), s) ? v : null;
        }
        if (def instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
            if (depth >= maxDepth) {
                return null;
            }
            populate(v, composite, depth + 1, s, path);
            return ((Base) v).isEmpty() ? null : v;
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean enumValue(Enumeration e, Class<? extends Enum<?>> type, State s, String path, int index) {
        List<Enum<?>> values = new ArrayList<>();
        List<Enum<?>> filtered = new ArrayList<>();
        for (Enum<?> c : type.getEnumConstants()) {
            if (!c.name().equals("NULL")) {
                values.add(c);
                if (filterCodes.contains(e.getEnumFactory().toCode(c))) {
                    filtered.add(c);
                }
            }
        }
        if (!filtered.isEmpty() && s.variant % 3 != 2) {
            values = filtered;
        }
        if (values.isEmpty()) {
            return false;
        }
        e.setValue(values.get(pick(s, path, index, values.size())));
        return true;
    }

    private boolean primitive(PrimitiveType<?> p, String type, State s) {
        int n = s.next();
        SplittableRandom r = s.random;
        String v =
                switch (type) {
                    case "boolean" -> (s.variant + n) % 2 == 0 ? "true" : "false";
                    case "integer", "unsignedInt" -> Integer.toString(r.nextInt(0, 100));
                    case "positiveInt" -> Integer.toString(r.nextInt(1, 100));
                    case "integer64" -> Long.toString(r.nextLong(0, 1_000_000_000_000L));
                    case "decimal" -> DECIMALS[r.nextInt(DECIMALS.length)];
                    case "string" -> WORDS[r.nextInt(WORDS.length)];
                    case "markdown" -> "**" + WORDS[r.nextInt(WORDS.length)] + "** notes";
                    case "code" -> "code-" + (n % 5);
                    case "id" -> "id" + n;
                    case "uri" -> "http://example.org/fhir/uri/" + (n % 5);
                    case "url" -> "http://example.org/fhir/url/" + (n % 5);
                    case "canonical" -> "http://example.org/fhir/StructureDefinition/sd" + (n % 5)
                            + ((n % 2 == 0) ? "|1.0" : "");
                    case "oid" -> "urn:oid:1.2.3." + n;
                    case "uuid" -> "urn:uuid:" + new java.util.UUID(seed, n);
                    case "date" -> DATES[r.nextInt(DATES.length)];
                    case "dateTime" -> DATE_TIMES[r.nextInt(DATE_TIMES.length)];
                    case "instant" -> "2024-09-03T10:15:30.123Z";
                    case "time" -> "10:15:30";
                    case "base64Binary" -> "aGVsbG8=";
                    default -> null;
                };
        if (v == null) {
            return false;
        }
        p.setValueAsString(v);
        return true;
    }

    private void reference(Reference ref, List<String> targets, State s, int pick) {
        String type = targets.isEmpty() ? "Patient" : targets.get(pick);
        String id =
                switch (type) {
                    case "Patient" -> "p1";
                    case "Organization" -> "o1";
                    case "Practitioner" -> "pr1";
                    default -> type.toLowerCase(java.util.Locale.ROOT) + "1";
                };
        int form = Math.floorMod(s.variant + s.next(), 5);
        switch (form) {
            case 0, 1 -> ref.setReference(type + "/" + id);
            case 2 -> ref.setReference("http://other.example.org/fhir/" + type + "/" + id);
            case 3 -> {
                ref.setReference("urn:uuid:" + new java.util.UUID(seed, s.next()));
                ref.setType(type);
            }
            default -> {
                ref.setReference(type + "/" + id + "/_history/2");
                ref.getIdentifier().setSystem("http://example.org/ids").setValue("v" + s.next());
                ref.setDisplay(WORDS[s.random.nextInt(WORDS.length)]);
            }
        }
    }

    private static void meta(Resource r, State s) {
        Meta m = r.getMeta();
        m.addTag()
                .setSystem("http://example.org/tags")
                .setCode("tag" + s.variant)
                .setDisplay("Test tag");
        m.addTag().setCode("NOLIST");
        m.addSecurity()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-Confidentiality")
                .setCode("N");
        m.addProfile("http://example.org/fhir/StructureDefinition/p" + s.variant + "|2.0");
        m.setSource("http://example.org/source#" + s.variant);
        m.setLastUpdatedElement(new org.hl7.fhir.r5.model.InstantType("2024-09-03T10:15:30.123Z"));
    }

    /** Adds, on the resource, each extension a search parameter of its type reads. */
    private void extensions(Resource r, String type, State s) {
        if (!(r instanceof DomainResource dr)) {
            return;
        }
        for (var p : fhir.getResourceDefinition(type).getSearchParams()) {
            String path = p.getPath();
            if (path == null) {
                continue;
            }
            Matcher m = EXTENSION_URL.matcher(path);
            while (m.find()) {
                if (!path.contains(type + ".extension('" + m.group(1) + "')")) {
                    continue;
                }
                Extension e = dr.addExtension().setUrl(m.group(1));
                switch (p.getParamType()) {
                    case REFERENCE -> e.setValue(new Reference("DocumentReference/d1"));
                    case TOKEN -> e.setValue(new org.hl7.fhir.r5.model.CodeableConcept()
                            .addCoding(new org.hl7.fhir.r5.model.Coding(
                                    "http://example.org/alias", "a" + s.variant, "Alias")));
                    default -> e.setValue(new StringType(WORDS[s.random.nextInt(WORDS.length)]));
                }
            }
        }
    }

    private static void bundle(Bundle b, int variant) {
        b.getEntry().clear();
        if (variant % 2 == 0) {
            b.setType(Bundle.BundleType.DOCUMENT);
            Composition c = new Composition();
            c.setId("comp" + variant);
            c.setStatus(org.hl7.fhir.r5.model.Enumerations.CompositionStatus.FINAL);
            c.setTitle("Discharge summary");
            b.addEntry()
                    .setFullUrl("urn:uuid:00000000-0000-0000-0000-00000000000" + variant)
                    .setResource(c);
        } else {
            b.setType(Bundle.BundleType.MESSAGE);
            MessageHeader h = new MessageHeader();
            h.setId("msg" + variant);
            b.addEntry()
                    .setFullUrl("http://example.org/fhir/MessageHeader/msg" + variant)
                    .setResource(h);
        }
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setFamily("Smith");
        b.addEntry().setFullUrl("http://example.org/fhir/Patient/p1").setResource(p);
    }

    /** Points every {@code Patient/p1} reference to a contained Patient {@code #c1}. */
    private void containPatients(DomainResource r) {
        List<Reference> refs = fhir.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class);
        boolean any = false;
        for (Reference ref : refs) {
            if ("Patient/p1".equals(ref.getReference())) {
                ref.setReference("#c1");
                any = true;
            }
        }
        if (any) {
            Patient c = new Patient();
            c.setId("c1");
            c.addName().setFamily("Contained");
            r.addContained(c);
        }
    }
}
