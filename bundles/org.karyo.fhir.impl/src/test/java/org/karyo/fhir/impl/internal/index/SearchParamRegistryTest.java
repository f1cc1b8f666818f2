package org.karyo.fhir.impl.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.List;
import org.hl7.fhir.r5.model.Enumerations.SearchParamType;
import org.hl7.fhir.r5.model.Enumerations.VersionIndependentResourceTypesAll;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.SearchParameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchParamRegistryTest {
    private static SearchParamRegistry registry;

    @BeforeAll
    static void load() {
        registry = new SearchParamRegistry();
    }

    @Test
    void holdsEveryBuiltInParameterOfEveryType() {
        FhirContext fhir = FhirContext.forR5Cached();
        assertThat(registry.resourceTypes()).containsExactlyInAnyOrderElementsOf(fhir.getResourceTypes());
        int count = 0;
        for (String type : fhir.getResourceTypes()) {
            for (RuntimeSearchParam p : fhir.getResourceDefinition(type).getSearchParams()) {
                SearchParam sp = registry.get(type, p.getName());
                assertThat(sp).as(type + "." + p.getName()).isNotNull();
                assertThat(sp.type()).isEqualTo(ParamType.of(p.getParamType()));
                assertThat(sp.expression()).isEqualTo(p.getPath());
                count++;
            }
            assertThat(registry.get(type, "_source")).isNotNull();
            assertThat(registry.forType(type)).isSortedAccordingTo(java.util.Comparator.comparing(SearchParam::code));
        }
        assertThat(count).isGreaterThan(2800);
        assertThat(registry.unsupportedBuiltIns()).isEmpty();
    }

    @Test
    void observationParameters() {
        SearchParam code = registry.get("Observation", "code");
        assertThat(code.type()).isEqualTo(ParamType.TOKEN);
        assertThat(code.path().plan()).isEqualTo("code");
        assertThat(code.indexed()).isTrue();
        SearchParam subject = registry.get("Observation", "subject");
        assertThat(subject.type()).isEqualTo(ParamType.REFERENCE);
        assertThat(subject.targets()).contains("Patient", "Group");
        assertThat(subject.inPatientCompartment()).isTrue();
        assertThat(registry.get("Observation", "patient").path().plan())
                .isEqualTo("subject.where(resolve().is(Patient))");
        assertThat(registry.find("Observation", "nope")).isEmpty();
        assertThat(registry.get("Observation", "_id").indexed()).isFalse();
        assertThat(registry.get("Observation", "_text").indexed()).isFalse();
        assertThat(registry.get("Observation", "_tag").indexed()).isTrue();

        SearchParam cvq = registry.get("Observation", "code-value-quantity");
        assertThat(cvq.type()).isEqualTo(ParamType.COMPOSITE);
        assertThat(cvq.components()).extracting(SearchParam.Component::code).containsExactly("code", "value-quantity");
        assertThat(cvq.components())
                .extracting(SearchParam.Component::type)
                .containsExactly(ParamType.TOKEN, ParamType.QUANTITY);
        assertThat(cvq.components().get(1).expression()).isEqualTo("value.ofType(Quantity)");
    }

    /** Each HAPI composite names its components by url; they are the parameters the component table names. */
    @Test
    void compositeComponentsMatchHapisReferences() {
        FhirContext fhir = FhirContext.forR5Cached();
        int composites = 0;
        for (String type : fhir.getResourceTypes()) {
            for (RuntimeSearchParam p : fhir.getResourceDefinition(type).getSearchParams()) {
                if (p.getComponents().isEmpty()) {
                    continue;
                }
                composites++;
                SearchParam sp = registry.get(type, p.getName());
                assertThat(sp.components()).as(type + "." + p.getName()).hasSameSizeAs(p.getComponents());
                for (int i = 0; i < p.getComponents().size(); i++) {
                    String ref = p.getComponents().get(i).getReference();
                    SearchParam.Component c = sp.components().get(i);
                    SearchParam target = registry.get(type, c.code());
                    assertThat(target.url())
                            .as(type + "." + p.getName() + " #" + i)
                            .isEqualTo(ref);
                }
            }
        }
        assertThat(composites).isGreaterThan(60);
    }

    @Test
    void registersACustomParameter() {
        SearchParamRegistry r = new SearchParamRegistry();
        long v = r.version();
        SearchParameter sp = new SearchParameter();
        sp.setUrl("http://example.org/SearchParameter/obs-method-text");
        sp.setCode("method-text");
        sp.addBase(VersionIndependentResourceTypesAll.OBSERVATION);
        sp.setType(SearchParamType.STRING);
        sp.setExpression("Observation.method.text | Observation.method.coding.display");
        List<SearchParam> created = r.register(sp);
        assertThat(created).hasSize(1);
        assertThat(r.version()).isGreaterThan(v);
        SearchParam p = r.get("Observation", "method-text");
        assertThat(p.type()).isEqualTo(ParamType.STRING);
        assertThat(p.path().plan()).isEqualTo("(method.text | method.coding.display)");

        // on every type
        SearchParameter all = new SearchParameter();
        all.setCode("lang");
        all.addBase(VersionIndependentResourceTypesAll.RESOURCE);
        all.setType(SearchParamType.TOKEN);
        all.setExpression("Resource.language");
        assertThat(r.register(all)).hasSize(r.resourceTypes().size());

        // a custom composite over built-in components
        SearchParameter comp = new SearchParameter();
        comp.setUrl("http://example.org/SearchParameter/obs-code-date");
        comp.setCode("code-date");
        comp.addBase(VersionIndependentResourceTypesAll.OBSERVATION);
        comp.setType(SearchParamType.COMPOSITE);
        comp.setExpression("Observation");
        comp.addComponent()
                .setDefinition("http://hl7.org/fhir/SearchParameter/clinical-code")
                .setExpression("code");
        comp.addComponent()
                .setDefinition("http://hl7.org/fhir/SearchParameter/clinical-date")
                .setExpression("effective.ofType(dateTime)");
        SearchParam cd = r.register(comp).get(0);
        assertThat(cd.components())
                .extracting(SearchParam.Component::type)
                .containsExactly(ParamType.TOKEN, ParamType.DATE);

        assertThat(r.remove("Observation", "method-text")).isTrue();
        assertThat(r.get("Observation", "method-text")).isNull();
        assertThat(r.remove("Observation", "method-text")).isFalse();
        // the shared default registry is untouched
        assertThat(registry.get("Observation", "code-date")).isNull();
    }

    @Test
    void refusesAnExpressionOutsideTheSubset() {
        SearchParamRegistry r = new SearchParamRegistry();
        SearchParameter sp = new SearchParameter();
        sp.setCode("everything");
        sp.addBase(VersionIndependentResourceTypesAll.OBSERVATION);
        sp.setType(SearchParamType.TOKEN);
        sp.setExpression("Observation.descendants().ofType(Coding)");
        assertThatThrownBy(() -> r.register(sp))
                .isInstanceOf(UnsupportedExpressionException.class)
                .hasMessage("unsupported FHIRPath function 'descendants'");
        assertThat(r.get("Observation", "everything")).isNull();

        sp.setExpression("Observation.code");
        sp.getBase().clear();
        sp.getBase()
                .add(new org.hl7.fhir.r5.model.Enumeration<>(
                        new org.hl7.fhir.r5.model.Enumerations.VersionIndependentResourceTypesAllEnumFactory(),
                        "Account"));
        sp.setCode("bad code!");
        assertThatThrownBy(() -> r.register(sp)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registersAComputedParameter() {
        SearchParamRegistry r = new SearchParamRegistry();
        SearchParam age = r.registerComputed("Patient", "age", ParamType.NUMBER, res -> List.of(new IntegerType(42)));
        assertThat(age.computed()).isTrue();
        assertThat(age.indexed()).isFalse();
        assertThat(r.get("Patient", "age").computer().apply(new Patient())).hasSize(1);
        IndexExtractor x = new IndexExtractor(r);
        Patient p = new Patient();
        p.setId("p1");
        assertThat(x.extract(p).keys()).noneMatch(k -> k.startsWith("age"));
        assertThat(new IndexExtractor(r).extract(new Observation()).keys()).isEmpty();
    }

    @Test
    void theComboParametersOfObservationAreUnionsOfOthers() {
        assertThat(registry.derivedFrom("Observation", "combo-code")).containsExactly("code", "component-code");
        assertThat(registry.derivedFrom("Observation", "combo-value-quantity"))
                .containsExactly("component-value-quantity", "value-quantity");
        assertThat(registry.derivedFrom("Observation", "combo-value-concept"))
                .containsExactly("component-value-concept", "value-concept");
        assertThat(registry.derivedFrom("Observation", "combo-code-value-quantity"))
                .containsExactly("code-value-quantity", "component-code-value-quantity");
        assertThat(registry.derivedFrom("Observation", "code")).isEmpty();
        assertThat(registry.derivedFrom("Observation", "subject")).isEmpty();
        // every union found in R5: the combo parameters, each of two sources of its own type
        java.util.List<String> all = new java.util.ArrayList<>();
        for (String type : registry.resourceTypes()) {
            for (SearchParam p : registry.forType(type)) {
                java.util.List<String> sources = registry.derivedFrom(type, p.code());
                if (!sources.isEmpty()) {
                    all.add(type + "." + p.code() + "=" + sources);
                    assertThat(sources).hasSize(2);
                    for (String source : sources) {
                        assertThat(registry.get(type, source).type()).isEqualTo(p.type());
                    }
                }
            }
        }
        assertThat(all)
                .containsExactlyInAnyOrder(
                        "Observation.combo-code=[code, component-code]",
                        "Observation.combo-code-value-concept=[code-value-concept, component-code-value-concept]",
                        "Observation.combo-code-value-quantity=[code-value-quantity, component-code-value-quantity]",
                        "Observation.combo-data-absent-reason=[component-data-absent-reason, data-absent-reason]",
                        "Observation.combo-value-concept=[component-value-concept, value-concept]",
                        "Observation.combo-value-quantity=[component-value-quantity, value-quantity]",
                        "Questionnaire.combo-code=[item-code, questionnaire-code]");
    }
}
