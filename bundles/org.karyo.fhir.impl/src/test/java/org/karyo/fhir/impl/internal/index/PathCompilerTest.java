package org.karyo.fhir.impl.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Composition;
import org.hl7.fhir.r5.model.ContactPoint;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.Test;

class PathCompilerTest {
    private static final FhirContext FHIR = FhirContext.forR5Cached();

    /** Every expression of every built-in R5 search parameter compiles, generically and for each of its types. */
    @Test
    void everyBuiltInExpressionCompiles() {
        Set<String> expressions = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        for (String type : FHIR.getResourceTypes()) {
            for (RuntimeSearchParam p : FHIR.getResourceDefinition(type).getSearchParams()) {
                String e = p.getPath();
                if (e == null || e.isBlank()) {
                    continue;
                }
                expressions.add(e);
                try {
                    PathCompiler.compile(e, type);
                    compiled++;
                } catch (UnsupportedExpressionException ex) {
                    failures.add(type + "." + p.getName() + ": " + ex.getMessage());
                }
            }
        }
        for (String e : expressions) {
            try {
                PathCompiler.compile(e);
            } catch (UnsupportedExpressionException ex) {
                failures.add(e + ": " + ex.getMessage());
            }
        }
        for (List<CompositeComponents.Def> defs : CompositeComponents.all().values()) {
            for (CompositeComponents.Def d : defs) {
                PathCompiler.compile(d.expression());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(expressions).hasSizeGreaterThan(1000);
        assertThat(compiled).isGreaterThan(2700);
        System.out.printf(
                "compiled %d distinct built-in expressions, %d (type, parameter) pairs%n",
                expressions.size(), compiled);
    }

    @Test
    void specialisationDropsBranchesOfOtherTypes() {
        String identifier = "Account.identifier | Observation.identifier | Patient.identifier";
        assertThat(PathCompiler.compile(identifier, "Observation").plan()).isEqualTo("identifier");
        assertThat(PathCompiler.compile(identifier, "Encounter").isEmpty()).isTrue();
        assertThat(PathCompiler.compile("Resource.meta.tag", "Observation").plan())
                .isEqualTo("meta.tag");
        assertThat(PathCompiler.compile("DomainResource.text", "Observation").plan())
                .isEqualTo("text");
        // an unprefixed branch naming an element the type does not have is dropped too
        assertThat(PathCompiler.compile("(start | requestedPeriod.start).first() | Observation.issued", "Observation")
                        .plan())
                .isEqualTo("issued");
        assertThat(PathCompiler.compile("(start | requestedPeriod.start).first()", "Appointment")
                        .plan())
                .isEqualTo("(start | requestedPeriod.start).first()");
    }

    @Test
    void evaluatesTheConstructsSearchParametersUse() {
        Observation o = new Observation();
        o.setId("o1");
        o.setCode(new CodeableConcept().setText("glucose"));
        o.setValue(new Quantity(5.4).setUnit("mmol/L"));
        o.setSubject(new Reference("Patient/p1"));
        o.addPerformer(new Reference("Practitioner/x"));
        o.addPerformer(new Reference("http://elsewhere/fhir/Patient/p9"));
        o.addExtension("http://x/ext", new StringType("e1"));
        o.addExtension("http://x/other", new StringType("e2"));

        assertThat(eval("Observation.code", o)).containsExactly(o.getCode());
        assertThat(eval("Observation.value", o)).containsExactly(o.getValue());
        assertThat(eval("Observation.value.ofType(Quantity)", o)).containsExactly(o.getValue());
        assertThat(eval("Observation.value.as(Quantity)", o)).containsExactly(o.getValue());
        assertThat(eval("(Observation.value as Quantity)", o)).containsExactly(o.getValue());
        assertThat(eval("Observation.value.ofType(CodeableConcept)", o)).isEmpty();
        assertThat(eval("Observation.subject.where(resolve() is Patient)", o)).containsExactly(o.getSubject());
        assertThat(eval("Observation.performer.where(resolve() is Patient)", o))
                .containsExactly(o.getPerformer().get(1));
        assertThat(eval("Observation.performer.where(resolve().is(Practitioner))", o))
                .containsExactly(o.getPerformer().get(0));
        assertThat(eval("Observation.extension('http://x/ext').value", o))
                .containsExactly(o.getExtensionByUrl("http://x/ext").getValue());
        assertThat(eval("Observation.extension.where(url = 'http://x/other').value", o))
                .containsExactly(o.getExtensionByUrl("http://x/other").getValue());
        assertThat(eval("Observation.performer.first()", o))
                .containsExactly(o.getPerformer().get(0));
        assertThat(eval("Observation.performer[1]", o))
                .containsExactly(o.getPerformer().get(1));
        assertThat(eval("Resource.id", o)).hasSize(1);
        assertThat(eval("%resource.code", o)).containsExactly(o.getCode());
        assertThat(bool("Observation.code.exists()", o)).isTrue();
        assertThat(bool("Observation.method.exists()", o)).isFalse();
        assertThat(bool("Observation.method.empty()", o)).isTrue();
        assertThat(bool("Observation.value is Quantity", o)).isTrue();
        assertThat(bool("Observation.value.is(Quantity)", o)).isTrue();
        assertThat(bool("Observation.code.text = 'glucose'", o)).isTrue();
        assertThat(bool("Observation.code.text != 'glucose'", o)).isFalse();
        assertThat(eval("Observation.method = 'x'", o)).isEmpty();
        assertThat(bool("Observation.code.exists() and Observation.value.exists()", o))
                .isTrue();
        assertThat(bool("Observation.method.exists() or Observation.value.exists()", o))
                .isTrue();
        assertThat(bool("Observation.performer.exists(resolve() is Patient)", o))
                .isTrue();
        assertThat(eval("Observation.performer.count()", o))
                .singleElement()
                .satisfies(b -> assertThat(b.primitiveValue()).isEqualTo("2"));
        assertThat(eval("Observation.code | Observation.code", o)).containsExactly(o.getCode());
    }

    @Test
    void contactPointsChoiceTypesAndBooleans() {
        Patient p = new Patient();
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("555");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("a@b.c");
        assertThat(eval("Patient.telecom.where(system='email')", p))
                .containsExactly(p.getTelecom().get(1));
        String deceased = "Patient.deceased.exists() and Patient.deceased != false";
        assertThat(bool(deceased, p)).isFalse();
        p.setDeceased(new BooleanType(true));
        assertThat(bool(deceased, p)).isTrue();
        p.setDeceased(new BooleanType(false));
        assertThat(bool(deceased, p)).isFalse();
        p.setDeceased(new DateTimeType("2020-01-01"));
        assertThat(bool(deceased, p)).isTrue();
        assertThat(eval("(Patient.deceased.ofType(dateTime))", p)).containsExactly(p.getDeceased());
    }

    @Test
    void containedAndTypedReferencesResolve() {
        Observation o = new Observation();
        Patient c = new Patient();
        c.setId("c1");
        o.addContained(c);
        o.setSubject(new Reference("#c1"));
        o.setFocus(List.of(new Reference("urn:uuid:1234").setType("Patient"), new Reference("Group/g1/_history/3")));
        assertThat(eval("Observation.subject.where(resolve() is Patient)", o)).containsExactly(o.getSubject());
        assertThat(eval("Observation.focus.where(resolve() is Patient)", o))
                .containsExactly(o.getFocus().get(0));
        assertThat(eval("Observation.focus.where(resolve() is Group)", o))
                .containsExactly(o.getFocus().get(1));
    }

    @Test
    void bundleFirstEntry() {
        Bundle b = new Bundle();
        Composition c = new Composition();
        b.addEntry().setResource(c);
        b.addEntry().setResource(new Patient());
        assertThat(eval("Bundle.entry[0].resource as Composition", b)).containsExactly(c);
        assertThat(eval("Bundle.entry[0].resource as MessageHeader", b)).isEmpty();
    }

    @Test
    void refusesWhatIsOutsideTheSubset() {
        assertThatThrownBy(() -> PathCompiler.compile("Observation.descendants()"))
                .isInstanceOf(UnsupportedExpressionException.class)
                .hasMessage("unsupported FHIRPath function 'descendants'")
                .extracting(e -> ((UnsupportedExpressionException) e).construct())
                .isEqualTo("descendants");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.code.memberOf('http://vs')"))
                .hasMessage("unsupported FHIRPath function 'memberOf'");
        assertThatThrownBy(() -> PathCompiler.compile("Patient.name.given.join(',')"))
                .hasMessage("unsupported FHIRPath function 'join'");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.subject.resolve().name"))
                .hasMessageStartingWith("unsupported FHIRPath function 'resolve'");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.value > 5"))
                .hasMessage("unsupported FHIRPath operator '>'");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.a xor Observation.b"))
                .hasMessage("unsupported FHIRPath operator 'xor'");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.effective > @2024-01-01"))
                .hasMessage("unsupported FHIRPath literal '@2024-01-01'");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.where(code"))
                .isInstanceOf(UnsupportedExpressionException.class)
                .hasMessageStartingWith("invalid FHIRPath expression at position");
        assertThatThrownBy(() -> PathCompiler.compile("Observation.code.where()"))
                .hasMessage("FHIRPath function 'where' takes 1 argument but has 0");
        assertThatThrownBy(() -> PathCompiler.compile("%vs-x.code"))
                .hasMessage("unsupported FHIRPath variable '%vs-x'");
    }

    @Test
    void evaluationOfASimplePathIsCheap() {
        Observation o = new Observation();
        o.setCode(new CodeableConcept().setText("x"));
        CompiledPath p = PathCompiler.compile("Observation.code", "Observation");
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += p.evaluate(o).size();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            sum += p.evaluate(o).size();
        }
        long ns = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("Observation.code: %d ns per evaluation (%d)%n", ns, sum);
        assertThat(sum).isEqualTo(1_200_000);
    }

    private static List<Base> eval(String expression, org.hl7.fhir.r5.model.Resource r) {
        List<Base> generic = PathCompiler.compile(expression).evaluate(r);
        List<Base> specialised = PathCompiler.compile(expression, r.fhirType()).evaluate(r);
        assertThat(specialised).hasSameSizeAs(generic);
        for (int i = 0; i < generic.size(); i++) {
            Base g = generic.get(i);
            Base s = specialised.get(i);
            if (g != s) { // operators (and, exists(), =) make new booleans
                assertThat(g.isPrimitive()).isTrue();
                assertThat(s.primitiveValue()).isEqualTo(g.primitiveValue());
            }
        }
        return generic;
    }

    private static Boolean bool(String expression, org.hl7.fhir.r5.model.Resource r) {
        List<Base> result = eval(expression, r);
        assertThat(result).hasSize(1).first().isInstanceOf(BooleanType.class);
        return ((BooleanType) result.get(0)).getValue();
    }
}
