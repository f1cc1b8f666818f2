package org.karyo.fhir.impl.internal.parse;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildPrimitiveEnumerationDatatypeDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r5.model.EnumFactory;
import org.hl7.fhir.r5.model.Extension;

/**
 * What JSON each FHIR type allows, derived once per type from HAPI's model definitions and cached (thread-safe): for
 * every JSON property name the element it stands for (choice elements {@code value[x]} give one name per allowed
 * type, {@code valueQuantity} …), its kind, and the elements with a minimum cardinality of 1.
 */
final class Shapes {
    /** How an element is written in JSON. */
    enum Kind {
        /** a JSON primitive (with its {@code _name} sibling for id and extensions) */
        PRIMITIVE,
        /** {@code Narrative.div}: a string of XHTML */
        XHTML,
        /** a JSON object of a datatype or backbone element */
        COMPOSITE,
        /** a JSON object with its own {@code resourceType} ({@code Bundle.entry.resource}) */
        RESOURCE,
        /** {@code DomainResource.contained} */
        CONTAINED
    }

    /** One element of a type, with every JSON name it may take. */
    static final class Member {
        final String name;
        final int min;
        final int max; // -1: unbounded
        final boolean choice;
        final List<Slot> slots = new ArrayList<>();

        Member(String name, int min, int max, boolean choice) {
            this.name = name;
            this.min = min;
            this.max = max;
            this.choice = choice;
        }

        boolean repeating() {
            return max != 1;
        }

        /** The element's name in messages: {@code value[x]} for a choice. */
        String display() {
            return choice ? name + "[x]" : name;
        }
    }

    /** One JSON property name of a member. */
    static final class Slot {
        final Member member;
        final String jsonName;
        final Kind kind;
        final String typeName; // the FHIR type: "Quantity", "dateTime", "code", …
        final Primitives.Type primitive; // for PRIMITIVE
        final EnumFactory<?> codes; // for a code with a required binding HAPI knows, else null
        final BaseRuntimeElementCompositeDefinition<?> composite; // for COMPOSITE
        final String step; // the FHIRPath step: "code", or "value.ofType(Quantity)" for a choice

        Slot(
                Member member,
                String jsonName,
                Kind kind,
                String typeName,
                EnumFactory<?> codes,
                BaseRuntimeElementCompositeDefinition<?> composite) {
            this.member = member;
            this.jsonName = jsonName;
            this.kind = kind;
            this.typeName = typeName;
            this.primitive = kind == Kind.PRIMITIVE ? Primitives.Type.of(typeName) : null;
            this.codes = codes;
            this.composite = composite;
            this.step = member.choice ? member.name + ".ofType(" + typeName + ")" : member.name;
        }
    }

    /** The JSON of one composite type. */
    static final class Shape {
        final String typeName;
        final Map<String, Slot> slots;
        final List<Member> members;
        final List<Member> required;

        Shape(String typeName, Map<String, Slot> slots, List<Member> members) {
            this.typeName = typeName;
            this.slots = slots;
            this.members = members;
            this.required = members.stream().filter(m -> m.min > 0).toList();
        }
    }

    private final FhirContext ctx;
    private final Set<String> resourceTypes;
    private final ConcurrentHashMap<BaseRuntimeElementCompositeDefinition<?>, Shape> cache = new ConcurrentHashMap<>();
    private final BaseRuntimeElementCompositeDefinition<?> extension;

    Shapes(FhirContext ctx) {
        this.ctx = ctx;
        this.resourceTypes = Set.copyOf(ctx.getResourceTypes());
        this.extension = (BaseRuntimeElementCompositeDefinition<?>) ctx.getElementDefinition(Extension.class);
    }

    FhirContext context() {
        return ctx;
    }

    /** Whether {@code name} is an R5 resource type, exactly as spelt (HAPI's own lookup ignores case). */
    boolean isResourceType(String name) {
        return name != null && resourceTypes.contains(name);
    }

    /** The definition of resource type {@code name} (which {@link #isResourceType} accepts). */
    RuntimeResourceDefinition resource(String name) {
        return ctx.getResourceDefinition(name);
    }

    BaseRuntimeElementCompositeDefinition<?> extensionDefinition() {
        return extension;
    }

    Shape of(BaseRuntimeElementCompositeDefinition<?> def) {
        Shape s = cache.get(def);
        if (s == null) {
            s = build(def);
            Shape raced = cache.putIfAbsent(def, s);
            if (raced != null) {
                s = raced;
            }
        }
        return s;
    }

    private Shape build(BaseRuntimeElementCompositeDefinition<?> def) {
        Map<String, Slot> slots = new HashMap<>();
        List<Member> members = new ArrayList<>();
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            String name = child.getElementName();
            // RuntimeChildExtension is a RuntimeChildChoiceDefinition too: test it first
            if (child instanceof RuntimeChildExtension) {
                Member m = new Member(name, child.getMin(), child.getMax(), false);
                add(slots, m, name, extension);
                members.add(m);
            } else if (child instanceof RuntimeChildChoiceDefinition) {
                Member m = new Member(name, child.getMin(), child.getMax(), true);
                for (String jsonName : child.getValidChildNames()) {
                    BaseRuntimeElementDefinition<?> ed = child.getChildByName(jsonName);
                    // HAPI also lists internal names ("valueResource", "instantiatesObservationDefinition" for a
                    // Reference): only name + capitalised type name is FHIR JSON
                    if (ed != null && isDatatype(ed) && jsonName.equals(name + capitalise(ed.getName()))) {
                        add(slots, m, jsonName, ed);
                    }
                }
                members.add(m);
            } else {
                Member m = new Member(name, child.getMin(), child.getMax(), false);
                BaseRuntimeElementDefinition<?> ed = child.getChildByName(name);
                if (ed != null) {
                    EnumFactory<?> codes = null;
                    if (child instanceof RuntimeChildPrimitiveEnumerationDatatypeDefinition
                            && child.getInstanceConstructorArguments() instanceof EnumFactory<?> f) {
                        codes = f;
                    }
                    add(slots, m, name, ed, codes);
                }
                members.add(m);
            }
        }
        return new Shape(def.getName(), Collections.unmodifiableMap(slots), Collections.unmodifiableList(members));
    }

    private static void add(Map<String, Slot> slots, Member m, String jsonName, BaseRuntimeElementDefinition<?> ed) {
        add(slots, m, jsonName, ed, null);
    }

    private static void add(
            Map<String, Slot> slots,
            Member m,
            String jsonName,
            BaseRuntimeElementDefinition<?> ed,
            EnumFactory<?> codes) {
        Kind kind =
                switch (ed.getChildType()) {
                    case PRIMITIVE_DATATYPE, ID_DATATYPE -> Kind.PRIMITIVE;
                    case PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> Kind.XHTML;
                    case COMPOSITE_DATATYPE, RESOURCE_BLOCK -> Kind.COMPOSITE;
                    case RESOURCE -> Kind.RESOURCE;
                    case CONTAINED_RESOURCE_LIST, CONTAINED_RESOURCES -> Kind.CONTAINED;
                    default -> null; // DSTU-era extension kinds: not in R5 JSON
                };
        if (kind == null) {
            return;
        }
        BaseRuntimeElementCompositeDefinition<?> composite =
                kind == Kind.COMPOSITE ? (BaseRuntimeElementCompositeDefinition<?>) ed : null;
        Slot slot = new Slot(m, jsonName, kind, ed.getName(), codes, composite);
        m.slots.add(slot);
        slots.put(jsonName, slot);
    }

    private static boolean isDatatype(BaseRuntimeElementDefinition<?> ed) {
        return switch (ed.getChildType()) {
            case PRIMITIVE_DATATYPE, ID_DATATYPE, COMPOSITE_DATATYPE -> true;
            default -> false;
        };
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
