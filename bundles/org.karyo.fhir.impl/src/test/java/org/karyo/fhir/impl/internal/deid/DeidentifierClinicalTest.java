package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.MRN_SYSTEM;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SECRET;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SECRET_BASE64;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.attachment;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.concept;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.identifier;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.narrative;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.note;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.ref;

import java.math.BigDecimal;
import org.hl7.fhir.r5.model.Attachment;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Claim;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Condition;
import org.hl7.fhir.r5.model.Coverage;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.DocumentReference;
import org.hl7.fhir.r5.model.Dosage;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.ExplanationOfBenefit;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Immunization;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.MedicationRequest;
import org.hl7.fhir.r5.model.Money;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Period;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.Procedure;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Timing;
import org.junit.jupiter.api.Test;

/** The profile on the clinical resources Synthea writes, field by field. */
class DeidentifierClinicalTest {

    private static final Deidentifier DEID = new Deidentifier(DeidFixtures.key(1));
    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String UCUM = "http://unitsofmeasure.org";

    /** Deidentifies, checks that no marked value survives in the JSON, and returns the copy. */
    @SuppressWarnings("unchecked")
    private static <T extends Resource> T deid(T resource) {
        assertThat(DeidFixtures.toJson(resource)).contains(SECRET);
        T out = (T) DEID.deidentify(resource);
        String json = DeidFixtures.toJson(out);
        assertThat(json).doesNotContain(SECRET).doesNotContain(SECRET_BASE64);
        DeidFixtures.json().parseResource(json);
        return out;
    }

    private static Reference subject() {
        return ref("Patient/pat-1", SECRET + "-subject")
                .setIdentifier(new Identifier().setSystem(MRN_SYSTEM).setValue(SECRET + "-mrn"));
    }

    @Test
    void observation() {
        Observation o = new Observation();
        o.setId("obs-1");
        o.setText(narrative(SECRET + " glucose"));
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.addCategory(concept(
                "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory", null));
        o.setCode(concept(LOINC, "2339-0", "Glucose [Mass/volume] in Blood", SECRET + "-code-text"));
        o.setSubject(subject());
        o.setEncounter(ref("Encounter/enc-1", SECRET + "-encounter"));
        o.setEffective(new DateTimeType("2021-01-02T03:04:05Z"));
        o.setIssuedElement(new InstantType("2021-01-02T04:00:00.000Z"));
        Practitioner contained = new Practitioner();
        contained.setId("perf");
        contained.addName().setFamily(SECRET + "-contained");
        o.addContained(contained);
        o.addPerformer(ref("#perf", SECRET + "-performer-contained"));
        o.addPerformer(ref("Practitioner/prac-1", SECRET + "-performer"));
        o.setValue(new Quantity()
                .setValue(new BigDecimal("5.4"))
                .setUnit("mmol/L")
                .setSystem(UCUM)
                .setCode("mmol/L"));
        o.addInterpretation(concept(
                "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H", "High", SECRET + "-high"));
        o.addNote(note("observation"));
        o.addReferenceRange()
                .setLow(new Quantity().setValue(3.9).setUnit("mmol/L"))
                .setHigh(new Quantity().setValue(5.5).setUnit("mmol/L"))
                .setText(SECRET + "-range-text");
        o.addComponent()
                .setCode(concept(LOINC, "8480-6", "Systolic blood pressure", null))
                .setValue(new Quantity()
                        .setValue(120)
                        .setUnit("mm[Hg]")
                        .setSystem(UCUM)
                        .setCode("mm[Hg]"));
        o.addComponent()
                .setCode(concept(LOINC, "8867-4", "Heart rate", null))
                .setValue(new StringType(SECRET + "-component-string"));

        Observation out = deid(o);
        assertThat(out.getIdPart()).isEqualTo("obs-1");
        assertThat(out.hasText()).isFalse();
        assertThat(out.hasContained()).isFalse();
        assertThat(out.getStatus()).isEqualTo(Enumerations.ObservationStatus.FINAL);
        assertThat(out.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(out.getCode().getCodingFirstRep().getCode()).isEqualTo("2339-0");
        assertThat(out.getCode().getCodingFirstRep().getDisplay()).isEqualTo("Glucose [Mass/volume] in Blood");
        assertThat(out.getCode().hasText()).isFalse();
        assertThat(out.getSubject().getReference()).isEqualTo("Patient/pat-1");
        assertThat(out.getSubject().hasDisplay()).isFalse();
        assertThat(out.getSubject().getIdentifier().getSystem()).isEqualTo(MRN_SYSTEM);
        assertThat(out.getSubject().getIdentifier().getValue()).isEqualTo(DEID.pseudonym(MRN_SYSTEM, SECRET + "-mrn"));
        assertThat(out.getEncounter().getReference()).isEqualTo("Encounter/enc-1");
        assertThat(out.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2021-01-02T03:04:05Z");
        assertThat(out.getIssuedElement().getValueAsString()).isEqualTo("2021-01-02T04:00:00.000Z");
        assertThat(out.getPerformer())
                .as("the reference to the removed contained resource goes")
                .extracting(Reference::getReference)
                .containsExactly("Practitioner/prac-1");
        assertThat(out.getPerformerFirstRep().hasDisplay()).isFalse();
        Quantity value = out.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("5.4");
        assertThat(value.getUnit()).isEqualTo("mmol/L");
        assertThat(value.getSystem()).isEqualTo(UCUM);
        assertThat(value.getCode()).isEqualTo("mmol/L");
        assertThat(out.getInterpretationFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("H");
        assertThat(out.getInterpretationFirstRep().hasText()).isFalse();
        assertThat(out.hasNote()).isFalse();
        assertThat(out.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("3.9");
        assertThat(out.getReferenceRangeFirstRep().hasText()).isFalse();
        assertThat(out.getComponent()).hasSize(2);
        assertThat(out.getComponent().get(0).getValueQuantity().getValue()).isEqualByComparingTo("120");
        assertThat(out.getComponent().get(1).hasValue()).isFalse();
        assertThat(out.getComponent().get(1).getCode().getCodingFirstRep().getCode())
                .isEqualTo("8867-4");
    }

    @Test
    void observationWithAFreeTextValueAndATextOnlyCode() {
        Observation o = new Observation();
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept().setText(SECRET + "-only-text"));
        o.setValue(new StringType(SECRET + "-value-string"));
        o.setSubject(new Reference("Patient/pat-1"));

        Observation out = deid(o);
        assertThat(out.hasValue()).isFalse();
        // Observation.code is required: its content went, a masked data-absent-reason stands in its place
        assertThat(out.getCode().hasCoding()).isFalse();
        assertThat(out.getCode().hasText()).isFalse();
        assertThat(out.getCode()
                        .getExtensionByUrl(Deidentifier.DATA_ABSENT_REASON)
                        .getValue()
                        .primitiveValue())
                .isEqualTo("masked");
    }

    @Test
    void encounter() {
        Encounter e = new Encounter();
        e.setId("enc-1");
        e.addIdentifier(identifier(null, "https://github.com/synthetichealth/synthea", SECRET + "-enc-uuid"));
        e.setStatus(Enumerations.EncounterStatus.COMPLETED);
        e.addClass_(concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory", null));
        e.addType(concept(SNOMED, "185349003", "Encounter for check up", SECRET + "-type-text"));
        e.setSubject(subject());
        e.addParticipant()
                .addType(concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary", null))
                .setActor(ref("Practitioner/prac-1", SECRET + "-dr"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2021-01-02T03:00:00Z")));
        e.setActualPeriod(new Period()
                .setStartElement(new DateTimeType("2021-01-02T03:00:00Z"))
                .setEndElement(new DateTimeType("2021-01-02T04:00:00Z")));
        e.addReason()
                .addValue(new CodeableReference(concept(SNOMED, "444814009", "Viral sinusitis", SECRET + "-reason")));
        e.addDiagnosis().addCondition(new CodeableReference(ref("Condition/cond-1", SECRET + "-condition")));
        e.getAdmission()
                .setPreAdmissionIdentifier(identifier(null, "urn:hospital:preadmission", SECRET + "-pre"))
                .setDischargeDisposition(
                        concept("http://terminology.hl7.org/CodeSystem/discharge-disposition", "home", "Home", SECRET));
        e.addLocation().setLocation(ref("Location/loc-1", SECRET + "-location"));
        e.setServiceProvider(ref("Organization/org-1", SECRET + "-provider"));

        Encounter out = deid(e);
        assertThat(out.getIdentifierFirstRep().getValue()).startsWith("PSN-");
        assertThat(out.getStatus()).isEqualTo(Enumerations.EncounterStatus.COMPLETED);
        assertThat(out.getClass_FirstRep().getCodingFirstRep().getCode()).isEqualTo("AMB");
        assertThat(out.getTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("185349003");
        assertThat(out.getTypeFirstRep().hasText()).isFalse();
        assertThat(out.getParticipantFirstRep().getActor().getReference()).isEqualTo("Practitioner/prac-1");
        assertThat(out.getParticipantFirstRep().getActor().hasDisplay()).isFalse();
        assertThat(out.getParticipantFirstRep().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2021-01-02T03:00:00Z");
        assertThat(out.getActualPeriod().getEndElement().getValueAsString()).isEqualTo("2021-01-02T04:00:00Z");
        CodeableReference reason = out.getReasonFirstRep().getValueFirstRep();
        assertThat(reason.getConcept().getCodingFirstRep().getCode()).isEqualTo("444814009");
        assertThat(reason.getConcept().hasText()).isFalse();
        assertThat(out.getDiagnosisFirstRep()
                        .getConditionFirstRep()
                        .getReference()
                        .getReference())
                .isEqualTo("Condition/cond-1");
        assertThat(out.getAdmission().getPreAdmissionIdentifier().getValue()).startsWith("PSN-");
        assertThat(out.getAdmission()
                        .getDischargeDisposition()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("home");
        assertThat(out.getLocationFirstRep().getLocation().getReference()).isEqualTo("Location/loc-1");
        assertThat(out.getServiceProvider().getReference()).isEqualTo("Organization/org-1");
        assertThat(out.getServiceProvider().hasDisplay()).isFalse();
    }

    @Test
    void condition() {
        Condition c = new Condition();
        c.setClinicalStatus(
                concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", "Resolved", null));
        c.setVerificationStatus(
                concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed", null));
        c.addCategory(concept(
                "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis", "Diagnosis", null));
        c.setCode(concept(SNOMED, "444814009", "Viral sinusitis (disorder)", SECRET + "-condition-text"));
        c.setSubject(subject());
        c.setEncounter(new Reference("Encounter/enc-1"));
        c.setOnset(new DateTimeType("2021-01-02T03:00:00Z"));
        c.setAbatement(new StringType(SECRET + "-abatement"));
        c.setRecordedDateElement(new DateTimeType("2021-01-02T03:30:00Z"));
        c.addNote(note("condition"));
        c.addEvidence(new CodeableReference(concept(SNOMED, "267036007", "Dyspnea", SECRET)));

        Condition out = deid(c);
        assertThat(out.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("resolved");
        assertThat(out.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("confirmed");
        assertThat(out.getCode().getCodingFirstRep().getCode()).isEqualTo("444814009");
        assertThat(out.getCode().hasText()).isFalse();
        assertThat(out.getSubject().getReference()).isEqualTo("Patient/pat-1");
        assertThat(out.getOnsetDateTimeType().getValueAsString()).isEqualTo("2021-01-02T03:00:00Z");
        assertThat(out.hasAbatement()).isFalse();
        assertThat(out.getRecordedDateElement().getValueAsString()).isEqualTo("2021-01-02T03:30:00Z");
        assertThat(out.hasNote()).isFalse();
        assertThat(out.getEvidenceFirstRep().getConcept().getCodingFirstRep().getCode())
                .isEqualTo("267036007");
    }

    @Test
    void documentReference() {
        DocumentReference d = new DocumentReference();
        d.setStatus(DocumentReference.DocumentReferenceStatus.CURRENT);
        d.setType(concept(LOINC, "34117-2", "History and physical note", SECRET + "-type"));
        d.setSubject(subject());
        d.setDateElement(new InstantType("2021-01-02T03:04:05.000Z"));
        d.addAuthor(ref("Practitioner/prac-1", SECRET + "-author"));
        d.setDescription(SECRET + "-description");
        d.addContent().setAttachment(attachment("document").setSize(1234));
        d.addContent().setAttachment(new Attachment().setData((SECRET + "-only-data").getBytes()));
        d.addContext(new Reference("Encounter/enc-1"));
        d.setPeriod(new Period().setStartElement(new DateTimeType("2021-01-02")));

        DocumentReference out = deid(d);
        assertThat(out.getStatus()).isEqualTo(DocumentReference.DocumentReferenceStatus.CURRENT);
        assertThat(out.getType().getCodingFirstRep().getCode()).isEqualTo("34117-2");
        assertThat(out.getAuthorFirstRep().getReference()).isEqualTo("Practitioner/prac-1");
        assertThat(out.getAuthorFirstRep().hasDisplay()).isFalse();
        assertThat(out.hasDescription()).isFalse();
        Attachment a = out.getContent().get(0).getAttachment();
        assertThat(a.getContentType()).isEqualTo("text/plain");
        assertThat(a.getSize()).isEqualTo(1234);
        assertThat(a.getCreationElement().getValueAsString()).isEqualTo("2021-04-05T06:07:08Z");
        assertThat(a.hasData()).isFalse();
        assertThat(a.hasUrl()).isFalse();
        assertThat(a.hasTitle()).isFalse();
        // content.attachment is required: an attachment with nothing left is masked
        Attachment masked = out.getContent().get(1).getAttachment();
        assertThat(masked.hasData()).isFalse();
        assertThat(masked.getExtensionByUrl(Deidentifier.DATA_ABSENT_REASON)).isNotNull();
        assertThat(out.getContextFirstRep().getReference()).isEqualTo("Encounter/enc-1");
        assertThat(out.getPeriod().getStartElement().getValueAsString()).isEqualTo("2021-01-02");
    }

    @Test
    void diagnosticReport() {
        DiagnosticReport r = new DiagnosticReport();
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        r.setCode(concept(LOINC, "51990-0", "Basic metabolic panel", SECRET));
        r.setSubject(subject());
        r.setEffective(new DateTimeType("2021-01-02T03:04:05Z"));
        r.setIssuedElement(new InstantType("2021-01-02T05:00:00.000Z"));
        r.addPerformer(ref("Organization/org-1", SECRET + "-lab"));
        r.addResult(ref("Observation/obs-1", SECRET + "-glucose"));
        r.setConclusion(SECRET + "-conclusion");
        r.addConclusionCode(concept(SNOMED, "166698001", "Normal", SECRET + "-conclusion-code"));
        r.addPresentedForm(attachment("report").setContentType("application/pdf"));
        r.addNote(note("report"));

        DiagnosticReport out = deid(r);
        assertThat(out.getCode().getCodingFirstRep().getCode()).isEqualTo("51990-0");
        assertThat(out.getResultFirstRep().getReference()).isEqualTo("Observation/obs-1");
        assertThat(out.getResultFirstRep().hasDisplay()).isFalse();
        assertThat(out.hasConclusion()).isFalse();
        assertThat(out.getConclusionCodeFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("166698001");
        assertThat(out.getPresentedFormFirstRep().getContentType()).isEqualTo("application/pdf");
        assertThat(out.getPresentedFormFirstRep().hasData()).isFalse();
        assertThat(out.getPresentedFormFirstRep().hasUrl()).isFalse();
        assertThat(out.hasNote()).isFalse();
    }

    @Test
    void medicationRequest() {
        MedicationRequest m = new MedicationRequest();
        m.setStatus(MedicationRequest.MedicationrequestStatus.ACTIVE);
        m.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        m.setMedication(new CodeableReference(concept(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "313782", "Acetaminophen 325 MG", SECRET + "-med")));
        m.setSubject(subject());
        m.setAuthoredOnElement(new DateTimeType("2021-01-02T03:04:05Z"));
        m.setRequester(ref("Practitioner/prac-1", SECRET + "-requester"));
        m.addNote(note("medication"));
        m.setRenderedDosageInstruction(SECRET + "-rendered");
        Dosage dosage = m.addDosageInstruction()
                .setSequence(1)
                .setText(SECRET + "-dosage-text")
                .setPatientInstruction(SECRET + "-patient-instruction")
                .setAsNeeded(false);
        dosage.setTiming(new Timing());
        dosage.getTiming().getRepeat().setFrequency(2).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D);
        dosage.addDoseAndRate().setDose(new Quantity().setValue(1).setUnit("tablet"));

        MedicationRequest out = deid(m);
        assertThat(out.getStatus()).isEqualTo(MedicationRequest.MedicationrequestStatus.ACTIVE);
        assertThat(out.getIntent()).isEqualTo(MedicationRequest.MedicationRequestIntent.ORDER);
        assertThat(out.getMedication().getConcept().getCodingFirstRep().getCode())
                .isEqualTo("313782");
        assertThat(out.getMedication().getConcept().hasText()).isFalse();
        assertThat(out.getAuthoredOnElement().getValueAsString()).isEqualTo("2021-01-02T03:04:05Z");
        assertThat(out.getRequester().hasDisplay()).isFalse();
        assertThat(out.hasNote()).isFalse();
        assertThat(out.hasRenderedDosageInstruction()).isFalse();
        Dosage d = out.getDosageInstructionFirstRep();
        assertThat(d.hasText()).isFalse();
        assertThat(d.hasPatientInstruction()).isFalse();
        assertThat(d.getSequence()).isEqualTo(1);
        assertThat(d.getAsNeeded()).isFalse();
        assertThat(d.getTiming().getRepeat().getFrequency()).isEqualTo(2);
        assertThat(d.getTiming().getRepeat().getPeriodUnit()).isEqualTo(Timing.UnitsOfTime.D);
        assertThat(d.getDoseAndRateFirstRep().getDoseQuantity().getUnit()).isEqualTo("tablet");
    }

    @Test
    void procedure() {
        Procedure p = new Procedure();
        p.setStatus(Enumerations.EventStatus.COMPLETED);
        p.setCode(concept(SNOMED, "430193006", "Medication Reconciliation", SECRET + "-procedure"));
        p.setSubject(subject());
        p.setOccurrence(new Period()
                .setStartElement(new DateTimeType("2021-01-02T03:00:00Z"))
                .setEndElement(new DateTimeType("2021-01-02T03:15:00Z")));
        p.setLocation(ref("Location/loc-1", SECRET + "-location"));
        p.addPerformer().setActor(ref("Practitioner/prac-1", SECRET + "-performer"));
        p.addReason(new CodeableReference(ref("Condition/cond-1", SECRET + "-reason")));
        p.addNote(note("procedure"));

        Procedure out = deid(p);
        assertThat(out.getCode().getCodingFirstRep().getCode()).isEqualTo("430193006");
        assertThat(out.getOccurrencePeriod().getEndElement().getValueAsString()).isEqualTo("2021-01-02T03:15:00Z");
        assertThat(out.getLocation().getReference()).isEqualTo("Location/loc-1");
        assertThat(out.getPerformerFirstRep().getActor().getReference()).isEqualTo("Practitioner/prac-1");
        assertThat(out.getReasonFirstRep().getReference().getReference()).isEqualTo("Condition/cond-1");
        assertThat(out.getReasonFirstRep().getReference().hasDisplay()).isFalse();
        assertThat(out.hasNote()).isFalse();
    }

    @Test
    void immunization() {
        Immunization i = new Immunization();
        i.setStatus(Immunization.ImmunizationStatusCodes.COMPLETED);
        i.setVaccineCode(concept("http://hl7.org/fhir/sid/cvx", "140", "Influenza, seasonal", SECRET + "-vaccine"));
        i.setPatient(subject());
        i.setOccurrence(new DateTimeType("2021-01-02T03:04:05Z"));
        i.setPrimarySource(true);
        i.setLocation(ref("Location/loc-1", SECRET + "-location"));
        i.setLotNumber(SECRET + "-lot");
        i.addPerformer().setActor(ref("Practitioner/prac-1", SECRET + "-nurse"));
        i.addNote(note("immunization"));

        Immunization out = deid(i);
        assertThat(out.getStatus()).isEqualTo(Immunization.ImmunizationStatusCodes.COMPLETED);
        assertThat(out.getVaccineCode().getCodingFirstRep().getCode()).isEqualTo("140");
        assertThat(out.getPatient().getReference()).isEqualTo("Patient/pat-1");
        assertThat(out.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2021-01-02T03:04:05Z");
        assertThat(out.getPrimarySource()).isTrue();
        assertThat(out.hasLotNumber()).isFalse();
        assertThat(out.hasNote()).isFalse();
    }

    @Test
    void claim() {
        Claim c = new Claim();
        c.setStatus(Enumerations.FinancialResourceStatusCodes.ACTIVE);
        c.setType(concept("http://terminology.hl7.org/CodeSystem/claim-type", "professional", "Professional", null));
        c.setUse(Enumerations.Use.CLAIM);
        c.setPatient(ref("Patient/pat-1", SECRET + "-patient"));
        c.setBillablePeriod(new Period()
                .setStartElement(new DateTimeType("2021-01-02T03:00:00Z"))
                .setEndElement(new DateTimeType("2021-01-02T04:00:00Z")));
        c.setCreatedElement(new DateTimeType("2021-01-02T04:00:00Z"));
        c.setProvider(ref("Organization/org-1", SECRET + "-provider"));
        c.setPriority(concept("http://terminology.hl7.org/CodeSystem/processpriority", "normal", "Normal", null));
        c.addInsurance().setSequence(1).setFocal(true).setCoverage(ref("Coverage/cov-1", SECRET + "-Cigna"));
        c.getInsuranceFirstRep().setPreAuthRef(java.util.List.of(new StringType(SECRET + "-preauth")));
        c.addSupportingInfo()
                .setSequence(1)
                .setCategory(
                        concept("http://terminology.hl7.org/CodeSystem/claiminformationcategory", "info", null, null))
                .setValue(new StringType(SECRET + "-supporting"));
        c.addItem()
                .setSequence(1)
                .setProductOrService(concept(SNOMED, "185349003", "Encounter for check up", SECRET))
                .setNet(new Money().setValue(new BigDecimal("129.16")).setCurrency("USD"))
                .addEncounter(new Reference("Encounter/enc-1"));
        c.setTotal(new Money().setValue(new BigDecimal("129.16")).setCurrency("USD"));
        c.setFacility(new Reference("Location?identifier=https://github.com/synthetichealth/synthea|" + SECRET));

        Claim out = deid(c);
        assertThat(out.hasFacility())
                .as("a conditional reference searches by identifier")
                .isFalse();
        assertThat(out.getPatient().getReference()).isEqualTo("Patient/pat-1");
        assertThat(out.getPatient().hasDisplay()).isFalse();
        assertThat(out.getBillablePeriod().getStartElement().getValueAsString()).isEqualTo("2021-01-02T03:00:00Z");
        assertThat(out.getInsuranceFirstRep().getCoverage().getReference()).isEqualTo("Coverage/cov-1");
        assertThat(out.getInsuranceFirstRep().getCoverage().hasDisplay()).isFalse();
        assertThat(out.getInsuranceFirstRep().getFocal()).isTrue();
        assertThat(out.getInsuranceFirstRep().hasPreAuthRef()).isFalse();
        assertThat(out.getSupportingInfoFirstRep().hasValue()).isFalse();
        assertThat(out.getItemFirstRep().getNet().getValue()).isEqualByComparingTo("129.16");
        assertThat(out.getItemFirstRep()
                        .getProductOrService()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("185349003");
        assertThat(out.getTotal().getCurrency()).isEqualTo("USD");
    }

    @Test
    void explanationOfBenefitWithSyntheaContainedResources() {
        ExplanationOfBenefit e = new ExplanationOfBenefit();
        e.addIdentifier(identifier(null, "https://bluebutton.cms.gov/resources/variables/clm_id", SECRET + "-clm"));
        e.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        e.setUse(Enumerations.Use.CLAIM);
        e.setPatient(ref("Patient/pat-1", SECRET + "-patient"));
        e.setCreatedElement(new DateTimeType("2021-01-02T04:00:00Z"));
        e.setInsurer(ref("Organization/payer", SECRET + "-Cigna"));
        e.setProvider(ref("Practitioner/prac-1", SECRET + "-dr"));
        Coverage coverage = new Coverage();
        coverage.setId("coverage");
        coverage.addSubscriberId(identifier(null, "urn:payer", SECRET + "-subscriber"));
        e.addContained(coverage);
        e.setReferral(new Reference("#referral"));
        e.setClaim(ref("Claim/claim-1", SECRET + "-claim"));
        e.setOutcome(Enumerations.ClaimProcessingCodes.COMPLETE);
        e.setDisposition(SECRET + "-disposition");
        e.addInsurance().setFocal(true).setCoverage(new Reference("#coverage"));
        e.addItem()
                .setSequence(1)
                .addAdjudication()
                .setCategory(concept("https://bluebutton.cms.gov/resources/codesystem/adjudication", "x", null, null))
                .setAmount(new Money().setValue(new BigDecimal("100.00")).setCurrency("USD"));
        e.addTotal()
                .setCategory(concept("http://terminology.hl7.org/CodeSystem/adjudication", "submitted", null, null))
                .setAmount(new Money().setValue(new BigDecimal("129.16")).setCurrency("USD"));

        ExplanationOfBenefit out = deid(e);
        assertThat(out.hasContained()).isFalse();
        assertThat(out.hasReferral())
                .as("a reference to a contained resource goes with it")
                .isFalse();
        assertThat(out.getInsuranceFirstRep().getFocal()).isTrue();
        // insurance.coverage is required: its reference to the contained Coverage went, it is masked
        assertThat(out.getInsuranceFirstRep().getCoverage().hasReference()).isFalse();
        assertThat(out.getInsuranceFirstRep().getCoverage().getExtensionByUrl(Deidentifier.DATA_ABSENT_REASON))
                .isNotNull();
        assertThat(out.getIdentifierFirstRep().getValue()).startsWith("PSN-");
        assertThat(out.getClaim().getReference()).isEqualTo("Claim/claim-1");
        assertThat(out.hasDisposition()).isFalse();
        assertThat(out.getItemFirstRep().getAdjudicationFirstRep().getAmount().getValue())
                .isEqualByComparingTo("100.00");
        assertThat(out.getTotalFirstRep().getAmount().getValue()).isEqualByComparingTo("129.16");
    }

    @Test
    void imagingStudyUidsArePseudonymised() {
        ImagingStudy s = new ImagingStudy();
        s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        s.setSubject(new Reference("Patient/pat-1"));
        s.addIdentifier(identifier(null, "urn:dicom:uid", "urn:oid:1.2.840.99999999.1.1"));
        ImagingStudy.ImagingStudySeriesComponent series = s.addSeries().setUid("1.2.840.99999999.1.2");
        series.setModality(concept("http://dicom.nema.org/resources/ontology/DCM", "DX", "Digital Radiography", null));
        series.addInstance()
                .setUid("1.2.840.99999999.1.3")
                .setSopClass(new org.hl7.fhir.r5.model.Coding(
                        "urn:ietf:rfc:3986", "urn:oid:1.2.840.10008.5.1.4.1.1.1.1", null));
        s.setDescription(SECRET + "-study");

        ImagingStudy out = deid(s);
        assertThat(out.getSeriesFirstRep().getUid()).isEqualTo(DEID.pseudonym("urn:dicom:uid", "1.2.840.99999999.1.2"));
        assertThat(out.getSeriesFirstRep().getInstanceFirstRep().getUid())
                .isEqualTo(DEID.pseudonym("urn:dicom:uid", "1.2.840.99999999.1.3"));
        assertThat(out.getSeriesFirstRep().getModality().getCodingFirstRep().getCode())
                .isEqualTo("DX");
        assertThat(out.getSeriesFirstRep().getInstanceFirstRep().getSopClass().getCode())
                .isEqualTo("urn:oid:1.2.840.10008.5.1.4.1.1.1.1");
    }

    @Test
    void aBundlesEntriesAreDeidentifiedToo() {
        Bundle b = new Bundle();
        b.setType(Bundle.BundleType.COLLECTION);
        b.addEntry().setFullUrl("urn:uuid:1").setResource(DeidFixtures.patient());
        Observation o = new Observation();
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(concept(LOINC, "2339-0", "Glucose", SECRET));
        b.addEntry().setFullUrl("urn:uuid:2").setResource(o);
        b.getEntry().get(0).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient?identifier=x|" + SECRET);
        b.addLink().setRelation(Bundle.LinkRelationTypes.SELF).setUrl("http://x/fhir/Patient?name=" + SECRET);

        Bundle out = deid(b);
        assertThat(out.getEntry().get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(out.getEntry().get(0).getRequest().getUrlElement().getValue())
                .isNull();
        assertThat(out.getLinkFirstRep().getRelation()).isEqualTo(Bundle.LinkRelationTypes.SELF);
        assertThat(out.getLinkFirstRep().getUrlElement().getValue()).isNull();
        assertThat(out.getEntry())
                .extracting(Bundle.BundleEntryComponent::getFullUrl)
                .containsExactly("urn:uuid:1", "urn:uuid:2");
        Patient p = (Patient) out.getEntry().get(0).getResource();
        assertThat(p.hasName()).isFalse();
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1970");
    }

    @Test
    void anUnknownModifierExtensionRefusesTheResource() {
        Observation o = new Observation();
        o.setId("obs-9");
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(concept(LOINC, "2339-0", "Glucose", null));
        o.addModifierExtension(new Extension("http://example.org/fhir/not-really", new StringType("x")));
        assertThatThrownBy(() -> DEID.deidentify(o)).isInstanceOfSatisfying(RefusedResourceException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.extensionUrl()).isEqualTo("http://example.org/fhir/not-really");
            assertThat(e.getMessage()).contains("Observation/obs-9");
        });
    }

    @Test
    void anUnknownModifierExtensionInABackboneElementRefusesTheResource() {
        Observation o = new Observation();
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(concept(LOINC, "85354-9", "Blood pressure", null));
        o.addComponent()
                .setCode(concept(LOINC, "8480-6", "Systolic", null))
                .addModifierExtension(new Extension("http://example.org/fhir/negated", new StringType("yes")));
        assertThatThrownBy(() -> DEID.deidentify(o)).isInstanceOf(RefusedResourceException.class);
    }
}
