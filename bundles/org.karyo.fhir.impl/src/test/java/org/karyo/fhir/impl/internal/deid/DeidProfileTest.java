package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.FHIR;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeDeclaredChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r5.model.Base;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Action;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Kind;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Mode;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Rule;

/** The profile file itself: it parses, covers every datatype, and names only elements that exist. */
class DeidProfileTest {

    private static final DeidProfile PROFILE = DeidProfile.standard();

    /** The FHIR names of every composite datatype of the R5 model (SimpleQuantity is a Quantity). */
    private static Set<String> datatypes() {
        Set<String> names = new TreeSet<>();
        for (BaseRuntimeElementDefinition<?> def : FHIR.getElementDefinitions()) {
            if (def.getChildType() == BaseRuntimeElementDefinition.ChildTypeEnum.COMPOSITE_DATATYPE) {
                names.add(((Base) def.newInstance()).fhirType());
            }
        }
        return names;
    }

    @Test
    void everyDatatypeHasAnExplicitRule() {
        Set<String> types = datatypes();
        assertThat(types).contains("HumanName", "Address", "Attachment", "Quantity", "Reference", "Meta");
        assertThat(PROFILE.datatypes()).containsAll(types);
    }

    @Test
    void theRemovedDatatypesAreThePersonalAndFreeTextOnes() {
        for (String t : List.of("HumanName", "ContactPoint", "Annotation", "Narrative", "Signature", "ContactDetail")) {
            assertThat(PROFILE.typeRule(t).mode()).as(t).isEqualTo(Mode.REMOVED);
        }
        assertThat(PROFILE.typeRule("Coding").children())
                .containsOnly("system", "version", "code", "display", "userSelected");
        assertThat(PROFILE.typeRule("CodeableConcept").children()).containsOnly("coding");
        assertThat(PROFILE.typeRule("Address").children()).containsOnly("use", "type", "state", "country");
        assertThat(PROFILE.typeRule("Attachment").children()).doesNotContain("data", "url", "title", "hash");
        assertThat(PROFILE.typeRule("Reference").children()).containsOnly("reference", "type", "identifier");
        assertThat(PROFILE.typeRule("Identifier").children()).doesNotContain("assigner");
        assertThat(PROFILE.typeRule("Meta").children()).doesNotContain("source");
        assertThat(PROFILE.safePrimitives()).doesNotContain("string", "markdown", "base64Binary", "xhtml");
    }

    @Test
    void everyListedChildIsAnElementOfItsDatatype() {
        for (String type : PROFILE.datatypes()) {
            DeidProfile.TypeRule rule = PROFILE.typeRule(type);
            BaseRuntimeElementCompositeDefinition<?> def =
                    (BaseRuntimeElementCompositeDefinition<?>) FHIR.getElementDefinition(type);
            assertThat(def).as(type).isNotNull();
            for (String child : rule.children()) {
                assertThat(child(def, child)).as(type + "." + child).isNotNull();
            }
            PROFILE.reads(type)
                    .ifPresent(reads -> reads.forEach(child -> assertThat(child(def, child))
                            .as("reads " + type + "." + child)
                            .isNotNull()));
        }
    }

    @Test
    void everyPathRuleNamesAnElementOfTheModel() {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Rule> e : PROFILE.paths().entrySet()) {
            if (resolve(e.getKey()) == null) {
                unknown.add(e.getKey());
            }
        }
        assertThat(unknown).isEmpty();
    }

    /**
     * A modifier element changes the meaning of its resource: the profile may transform one (the death date is
     * reduced) but never removes one (the whole resource would be refused instead, as for modifier extensions).
     */
    @Test
    void noModifierElementOfAnyResourceIsRemoved() {
        List<String> removed = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        int modifiers = 0;
        for (String type : new TreeSet<>(FHIR.getResourceTypes())) {
            modifiers += modifiers(FHIR.getResourceDefinition(type), type, seen, removed);
        }
        assertThat(modifiers).as("modifier elements found").isGreaterThan(200);
        assertThat(removed).isEmpty();
    }

    private static int modifiers(
            BaseRuntimeElementCompositeDefinition<?> def, String context, Set<String> seen, List<String> removed) {
        if (!seen.add(context)) {
            return 0;
        }
        int count = 0;
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            String name = child.getElementName();
            if ("extension".equals(name) || "modifierExtension".equals(name)) {
                continue;
            }
            boolean modifier = child instanceof BaseRuntimeDeclaredChildDefinition d && d.isModifier();
            for (String valid : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> cd = child.getChildByName(valid);
                Kind kind;
                String type;
                switch (cd == null ? BaseRuntimeElementDefinition.ChildTypeEnum.RESOURCE : cd.getChildType()) {
                    case PRIMITIVE_DATATYPE, ID_DATATYPE -> {
                        kind = Kind.PRIMITIVE;
                        type = cd.getName();
                    }
                    case COMPOSITE_DATATYPE -> {
                        kind = Kind.DATATYPE;
                        type = ((Base) cd.newInstance()).fhirType();
                    }
                    case RESOURCE_BLOCK -> {
                        kind = Kind.BLOCK;
                        type = ((Base) cd.newInstance()).fhirType();
                    }
                    default -> {
                        continue;
                    }
                }
                if (modifier) {
                    count++;
                    Action effect = DeidProfile.effect(
                            PROFILE.decide(context, name, type, kind).action(), type, kind);
                    if (effect == Action.DROP) {
                        removed.add(context + "." + name + " (" + type + ")");
                    }
                }
                if (kind == Kind.BLOCK) {
                    count += modifiers((BaseRuntimeElementCompositeDefinition<?>) cd, type, seen, removed);
                }
            }
        }
        return count;
    }

    @Test
    void decisions() {
        assertThat(PROFILE.decide("Patient", "name", "HumanName", Kind.DATATYPE))
                .isEqualTo(Rule.DROP);
        assertThat(PROFILE.decide("Patient", "gender", "code", Kind.PRIMITIVE)).isEqualTo(Rule.KEEP);
        assertThat(PROFILE.decide("Patient", "birthDate", "date", Kind.PRIMITIVE)
                        .action())
                .isEqualTo(Action.YEAR);
        assertThat(PROFILE.decide("Observation", "value", "string", Kind.PRIMITIVE))
                .isEqualTo(Rule.DROP);
        assertThat(PROFILE.decide("Observation", "contained", "Patient", Kind.RESOURCE))
                .isEqualTo(Rule.DROP);
        assertThat(PROFILE.decide("Bundle.entry", "resource", "Patient", Kind.RESOURCE))
                .isEqualTo(Rule.KEEP);
        assertThat(PROFILE.decide("Coding", "display", "string", Kind.PRIMITIVE))
                .isEqualTo(Rule.KEEP);
        assertThat(PROFILE.decide("CodeableConcept", "text", "string", Kind.PRIMITIVE))
                .isEqualTo(Rule.DROP);
        assertThat(PROFILE.decide("Reference", "display", "string", Kind.PRIMITIVE))
                .isEqualTo(Rule.DROP);
        assertThat(PROFILE.decide("Identifier", "value", "string", Kind.PRIMITIVE)
                        .action())
                .isEqualTo(Action.PSEUDONYM);
        assertThat(PROFILE.decide("Observation", "value", "UnknownType", Kind.DATATYPE))
                .isEqualTo(Rule.DROP);
        assertThat(DeidProfile.effect(Action.YEAR_MONTH, "boolean", Kind.PRIMITIVE))
                .isEqualTo(Action.KEEP);
        assertThat(DeidProfile.effect(Action.YEAR, "Period", Kind.DATATYPE)).isEqualTo(Action.DROP);
        assertThat(DeidProfile.effect(Action.YEAR, "instant", Kind.PRIMITIVE)).isEqualTo(Action.DROP);
        assertThat(DeidProfile.effect(Action.BOOLEAN, "integer", Kind.PRIMITIVE))
                .isEqualTo(Action.BOOLEAN);
    }

    @Test
    void extensions() {
        assertThat(PROFILE.extensionAllowed("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"))
                .isTrue();
        assertThat(PROFILE.extensionAllowed(DeidFixtures.MAIDEN_NAME)).isFalse();
        assertThat(PROFILE.extensionAllowed(DeidFixtures.BIRTH_PLACE)).isFalse();
        assertThat(PROFILE.extensionAllowed(null)).isFalse();
        assertThat(PROFILE.subExtensionAllowed(DeidFixtures.RACE, "ombCategory"))
                .isTrue();
        assertThat(PROFILE.subExtensionAllowed(DeidFixtures.RACE, "text")).isFalse();
        assertThat(PROFILE.modifierAllowed("http://example.org/anything")).isFalse();
    }

    @Test
    void malformedProfilesNameTheirLine() {
        assertThatThrownBy(() -> DeidProfile.parse(List.of("# c", "bogus x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> DeidProfile.parse(List.of("path Patient.name shred")))
                .hasMessageContaining("unknown action");
        assertThatThrownBy(() -> DeidProfile.parse(List.of("type Coding code", "type Coding system")))
                .hasMessageContaining("ruled twice");
        assertThatThrownBy(() -> DeidProfile.parse(List.of("path Patient.birthDate year 1")))
                .hasMessageContaining("only pseudonym");
        assertThatThrownBy(() -> DeidProfile.parse(List.of("search Patient name maybe")))
                .hasMessageContaining("allow or refuse");
    }

    @Test
    void aSmallerProfileRemovesMore() {
        DeidProfile strict = DeidProfile.parse(List.of("safe code", "type Coding code", "type CodeableConcept coding"));
        Deidentifier d = new Deidentifier(DeidFixtures.key(1), strict);
        org.hl7.fhir.r5.model.Patient p = (org.hl7.fhir.r5.model.Patient) d.deidentify(DeidFixtures.patient());
        assertThat(p.getGender()).isNotNull();
        assertThat(p.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("M");
        assertThat(p.getMaritalStatus().getCodingFirstRep().hasDisplay()).isFalse();
        assertThat(p.hasBirthDate()).isFalse();
        assertThat(p.hasIdentifier()).isFalse();
        assertThat(p.hasExtension()).isFalse();
        assertThat(p.getIdPart()).as("id is not a safe primitive here").isNull();
    }

    private static Object child(BaseRuntimeElementCompositeDefinition<?> def, String name) {
        BaseRuntimeChildDefinition child = def.getChildByName(name);
        if (child == null && !name.endsWith("[x]")) {
            child = def.getChildByName(name + "[x]");
        }
        return child;
    }

    /** The child definition named by {@code Context.path.element}, walking backbone elements; or null. */
    private static Object resolve(String path) {
        String[] parts = path.split("\\.");
        BaseRuntimeElementCompositeDefinition<?> def;
        if (FHIR.getResourceTypes().contains(parts[0])) {
            def = FHIR.getResourceDefinition(parts[0]);
        } else if (FHIR.getElementDefinition(parts[0]) instanceof BaseRuntimeElementCompositeDefinition<?> d) {
            def = d;
        } else {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            BaseRuntimeChildDefinition child = (BaseRuntimeChildDefinition) child(def, parts[i]);
            if (child == null) {
                return null;
            }
            if (i == parts.length - 1) {
                return child;
            }
            BaseRuntimeElementDefinition<?> next =
                    child.getChildByName(child.getValidChildNames().iterator().next());
            if (!(next instanceof BaseRuntimeElementCompositeDefinition<?> c)) {
                return null;
            }
            def = c;
        }
        return null;
    }
}
