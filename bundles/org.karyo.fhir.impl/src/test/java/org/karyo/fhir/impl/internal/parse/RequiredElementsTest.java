package org.karyo.fhir.impl.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.MedicationRequest;
import org.hl7.fhir.r5.model.Narrative;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Task;
import org.junit.jupiter.api.Test;

/** The required-element check HAPI's parser does not make, on JSON input and on resources built in code. */
class RequiredElementsTest {
    static final FhirJson JSON = FhirJsonTest.JSON;

    private static List<String> onJson(String json) {
        return FhirJsonTest.reject(json, null).issues().stream()
                .map(i -> i.code() + "@" + i.location())
                .toList();
    }

    private static List<String> onModel(org.hl7.fhir.r5.model.Resource r) {
        return JSON.missingRequired(r).stream()
                .map(i -> i.code() + "@" + i.location())
                .toList();
    }

    @Test
    void observationNeedsStatusAndCode() {
        assertThat(onJson("{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/1\"}}"))
                .containsExactly("required@Observation.status", "required@Observation.code");
        Observation o = new Observation();
        assertThat(onModel(o)).containsExactly("required@Observation.status", "required@Observation.code");
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept()); // empty counts as missing
        assertThat(onModel(o)).containsExactly("required@Observation.code");
        o.getCode().setText("Heart rate");
        assertThat(onModel(o)).isEmpty();
    }

    @Test
    void aPrimitiveWithOnlyAnExtensionIsPresent() {
        String json = "{\"resourceType\":\"Observation\",\"_status\":{\"extension\":[{\"url\":"
                + "\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"unknown\"}]},"
                + "\"code\":{\"text\":\"x\"}}";
        Observation parsed = (Observation) JSON.parse(json);
        assertThat(parsed.getStatusElement().getValue()).isNull();
        assertThat(parsed.getStatusElement().getExtension()).hasSize(1);
        assertThat(JSON.missingRequired(parsed)).isEmpty();

        Observation built = new Observation().setCode(new CodeableConcept().setText("x"));
        built.getStatusElement().addExtension(new Extension("http://x", new StringType("y")));
        assertThat(onModel(built)).isEmpty();
    }

    @Test
    void backboneElementsAreCheckedWithTheirIndex() {
        assertThat(onJson("{\"resourceType\":\"Patient\",\"link\":[{\"other\":{\"reference\":\"Patient/2\"},"
                        + "\"type\":\"seealso\"},{\"type\":\"refer\"}]}"))
                .containsExactly("required@Patient.link[1].other");
        Patient p = new Patient();
        p.addLink().setType(Patient.LinkType.SEEALSO);
        assertThat(onModel(p)).containsExactly("required@Patient.link[0].other");

        Observation o = (Observation) JSON.parse(Samples.OBSERVATION);
        o.getComponent().get(1).setCode(null);
        assertThat(onModel(o)).containsExactly("required@Observation.component[1].code");
    }

    @Test
    void bundleEntriesAreCheckedAsResources() {
        String json = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\"},\"request\":{\"method\":\"POST\"}},"
                + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/1\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        assertThat(onJson(json))
                .containsExactly(
                        "required@Bundle.entry[1].resource.code",
                        "required@Bundle.entry[1].request.url",
                        "required@Bundle.entry[3].resource.status");

        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        b.addEntry().setResource(new Patient().setActive(true));
        b.addEntry().setResource(new Observation().setStatus(Enumerations.ObservationStatus.FINAL));
        b.addEntry();
        b.addEntry().setResource(new Observation().setCode(new CodeableConcept().setText("x")));
        assertThat(onModel(b))
                .containsExactly("required@Bundle.entry[1].resource.code", "required@Bundle.entry[3].resource.status");
        assertThat(onModel(new Bundle())).containsExactly("required@Bundle.type");
    }

    @Test
    void choiceElements() {
        // Observation.effective[x] is optional, MedicationRequest.medication (a CodeableReference) is not
        assertThat(onModel(new Observation()
                        .setStatus(Enumerations.ObservationStatus.FINAL)
                        .setCode(new CodeableConcept().setText("x"))))
                .isEmpty();
        assertThat(onJson("{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
                        + "\"subject\":{\"reference\":\"Patient/1\"}}"))
                .containsExactly("required@MedicationRequest.medication");
        MedicationRequest mr = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationrequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/1"));
        assertThat(onModel(mr)).containsExactly("required@MedicationRequest.medication");
        mr.setMedication(new CodeableReference(new CodeableConcept().setText("aspirin")));
        assertThat(onModel(mr)).isEmpty();

        // a required choice: Task.input.value[x]
        String task = "{\"resourceType\":\"Task\",\"status\":\"draft\",\"intent\":\"order\",\"input\":["
                + "{\"type\":{\"text\":\"a\"},\"valueString\":\"x\"},{\"type\":{\"text\":\"b\"}}]}";
        FhirInputException e = FhirJsonTest.reject(task, null);
        assertThat(e.issues())
                .extracting(i -> i.code() + "@" + i.location())
                .containsExactly("required@Task.input[1].value");
        assertThat(e.issues().get(0).message()).contains("value[x]");
        Task t = (Task) JSON.parse(task.replace(",{\"type\":{\"text\":\"b\"}}", ""));
        t.addInput().setType(new CodeableConcept().setText("b"));
        assertThat(onModel(t)).containsExactly("required@Task.input[1].value");
        t.getInput().get(1).setValue(new DateTimeType("2024-01-01"));
        assertThat(onModel(t)).isEmpty();
    }

    @Test
    void extensionsContainedResourcesAndNarratives() {
        Patient p = new Patient();
        p.getBirthDateElement().setValueAsString("1970-01-01");
        p.getBirthDateElement().addExtension().setValue(new StringType("no url"));
        p.addExtension().addExtension(new Extension("http://nested")); // no url, nested one without a value is fine
        p.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        assertThat(onModel(p))
                .containsExactly(
                        "required@Patient.text.div",
                        "required@Patient.extension[0].url",
                        "required@Patient.birthDate.extension[0].url");

        DiagnosticReport dr = new DiagnosticReport()
                .setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept().setText("panel"));
        Observation contained = new Observation().setCode(new CodeableConcept().setText("x"));
        contained.setId("o1");
        dr.addContained(contained);
        dr.addResult(new Reference("#o1"));
        assertThat(onModel(dr)).containsExactly("required@DiagnosticReport.contained[0].status");
    }

    @Test
    void groupsNeedTheirR5Elements() {
        assertThat(onJson("{\"resourceType\":\"Group\",\"name\":\"x\"}"))
                .containsExactly("required@Group.type", "required@Group.membership");
        assertThat(onModel(new Group())).containsExactly("required@Group.type", "required@Group.membership");
    }

    @Test
    void checkAlsoValidatesResourceIds() {
        Patient p = new Patient().setActive(true);
        p.setId("a_b");
        assertThat(JSON.missingRequired(p)).isEmpty();
        assertThat(JSON.check(p)).extracting(i -> i.code() + "@" + i.location()).containsExactly("value@Patient.id");
        p.setId("Patient/a-b.c/_history/2");
        assertThat(JSON.check(p)).isEmpty();
        p.setId("x".repeat(65));
        assertThat(JSON.check(p)).hasSize(1);
    }
}
