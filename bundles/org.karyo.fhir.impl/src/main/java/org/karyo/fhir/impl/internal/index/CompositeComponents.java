package org.karyo.fhir.impl.internal.index;

import java.util.List;
import java.util.Map;

/**
 * The component expressions of R5's composite search parameters. HAPI's runtime model keeps a composite's
 * components as references to other parameters but drops their expressions (relative to each item the composite's
 * own expression yields), so they are copied here from the R5 {@code SearchParameter} definitions; a test checks this
 * table against the R5 core package. Keyed by {@code <resource type>.<code>}, {@code *} for any type.
 *
 * <p>Two R5 definitions are kept as published although they never yield a value: {@code Composition
 * section-code-text} ({@code section.code} under {@code Composition.section}) and {@code Device code-value-concept}
 * ({@code specification} on {@code Device}, which has none). One is corrected: {@code DocumentReference
 * relationship}, whose published component expressions are swapped.
 */
final class CompositeComponents {
    /** One component: the code of the parameter it refers to and its relative expression. */
    record Def(String code, String expression) {}

    private static final Map<String, List<Def>> TABLE = Map.ofEntries(
            Map.entry(
                    "*.context-type-quantity",
                    List.of(
                            new Def("context-type", "code"),
                            new Def("context-quantity", "value.ofType(Quantity) | value.ofType(Range)"))),
            Map.entry(
                    "*.context-type-value",
                    List.of(new Def("context-type", "code"), new Def("context", "value.ofType(CodeableConcept)"))),
            Map.entry(
                    "Citation.classification",
                    List.of(new Def("classification-type", "type"), new Def("classifier", "classifier"))),
            Map.entry(
                    "Composition.section-code-text",
                    List.of(new Def("section", "section.code"), new Def("section-text", "section.text"))),
            Map.entry(
                    "Device.code-value-concept",
                    List.of(
                            new Def("specification", "specification.ofType(CodeableConcept)"),
                            new Def("version", "version.ofType(string)"))),
            Map.entry(
                    "Device.specification-version",
                    List.of(new Def("specification", "specification"), new Def("version", "version"))),
            Map.entry(
                    "DeviceDefinition.specification-version",
                    List.of(new Def("specification", "specification"), new Def("version", "version"))),
            // R5 pairs relatesto (a reference parameter) with 'code' and relation (a token) with 'target': swapped here
            // so
            // that each component reads what its parameter reads and 'relationship=<target>$<code>' matches
            Map.entry(
                    "DocumentReference.relationship",
                    List.of(new Def("relatesto", "target"), new Def("relation", "code"))),
            Map.entry(
                    "Encounter.location-period",
                    List.of(new Def("location", "location.reference"), new Def("period", "period"))),
            Map.entry(
                    "Group.characteristic-value",
                    List.of(
                            new Def("characteristic", "code"),
                            new Def("value", "(value.ofType(CodeableConcept)) | (value.ofType(boolean))"))),
            Map.entry(
                    "Ingredient.strength-concentration-ratio",
                    List.of(new Def("numerator", "numerator"), new Def("denominator", "denominator"))),
            Map.entry(
                    "Ingredient.strength-presentation-ratio",
                    List.of(new Def("numerator", "numerator"), new Def("denominator", "denominator"))),
            Map.entry(
                    "Observation.code-value-concept",
                    List.of(new Def("code", "code"), new Def("value-concept", "value.ofType(CodeableConcept)"))),
            Map.entry(
                    "Observation.code-value-date",
                    List.of(
                            new Def("code", "code"),
                            new Def("value-date", "value.ofType(dateTime) | value.ofType(Period)"))),
            Map.entry(
                    "Observation.code-value-quantity",
                    List.of(new Def("code", "code"), new Def("value-quantity", "value.ofType(Quantity)"))),
            Map.entry(
                    "Observation.code-value-string",
                    List.of(new Def("code", "code"), new Def("value-string", "value.ofType(string)"))),
            Map.entry(
                    "Observation.combo-code-value-concept",
                    List.of(
                            new Def("combo-code", "code"),
                            new Def("combo-value-concept", "value.ofType(CodeableConcept)"))),
            Map.entry(
                    "Observation.combo-code-value-quantity",
                    List.of(new Def("combo-code", "code"), new Def("combo-value-quantity", "value.ofType(Quantity)"))),
            Map.entry(
                    "Observation.component-code-value-concept",
                    List.of(
                            new Def("component-code", "code"),
                            new Def("component-value-concept", "value.ofType(CodeableConcept)"))),
            Map.entry(
                    "Observation.component-code-value-quantity",
                    List.of(
                            new Def("component-code", "code"),
                            new Def("component-value-quantity", "value.ofType(Quantity)"))),
            Map.entry(
                    "ResearchStudy.progress-status-state-actual",
                    List.of(new Def("state", "state"), new Def("actual", "actual"))),
            Map.entry(
                    "ResearchStudy.progress-status-state-period-actual",
                    List.of(new Def("state", "state"), new Def("period", "period"), new Def("actual", "actual"))),
            Map.entry(
                    "ResearchStudy.progress-status-state-period",
                    List.of(new Def("state", "state"), new Def("period", "period"))),
            Map.entry(
                    "StructureDefinition.ext-context",
                    List.of(new Def("ext-context-type", "type"), new Def("ext-context-expression", "expression"))),
            Map.entry(
                    "TestScript.scope-artifact-conformance",
                    List.of(
                            new Def("artifact", "artifact"),
                            new Def("conformance", "conformance.ofType(CodeableConcept)"))),
            Map.entry(
                    "TestScript.scope-artifact-phase",
                    List.of(new Def("artifact", "artifact"), new Def("phase", "phase.ofType(CodeableConcept)"))));

    private CompositeComponents() {}

    /** The components of a built-in composite, or null when the table does not know it. */
    static List<Def> of(String resourceType, String code) {
        List<Def> d = TABLE.get(resourceType + "." + code);
        return d != null ? d : TABLE.get("*." + code);
    }

    /** Every entry, for the test that compares the table with the R5 definitions. */
    static Map<String, List<Def>> all() {
        return TABLE;
    }
}
