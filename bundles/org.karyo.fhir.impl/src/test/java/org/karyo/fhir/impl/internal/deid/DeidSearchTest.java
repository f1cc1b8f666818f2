package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.FHIR;

import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which search parameters pseudonymised readers may use (the rest is a 403). */
class DeidSearchTest {

    private static final Deidentifier DEID = new Deidentifier(DeidFixtures.key(1));

    @ParameterizedTest(name = "{0}.{1} is refused")
    @CsvSource({
        "Patient, name",
        "Patient, family",
        "Patient, given",
        "Patient, phonetic",
        "Patient, telecom",
        "Patient, phone",
        "Patient, email",
        "Patient, address",
        "Patient, address-city",
        "Patient, address-postalcode",
        "Patient, birthdate",
        "Patient, death-date",
        "Patient, identifier",
        "Patient, part-agree",
        "Patient, _text",
        "Patient, _content",
        "Practitioner, name",
        "RelatedPerson, birthdate",
        "Observation, value-markdown",
        "Observation, identifier",
        "Condition, abatement-string",
        "DocumentReference, description",
        "DocumentReference, location",
        "DocumentReference, _text",
        "Composition, title",
        "Composition, section-text",
        "List, notes",
        "Specimen, accession",
        "ImagingStudy, series",
        "Immunization, lot-number",
        "Location, near",
        "Device, serial-number",
        "Organization, name",
        "Organization, address-city",
        "Observation, no-such-parameter"
    })
    void refused(String type, String code) {
        Optional<String> why = DEID.searchRefusal(type, code);
        assertThat(why).as(type + "." + code).isPresent();
        assertThat(why.get()).contains(type + "." + code).contains("pseudonymised readers");
        assertThat(DEID.searchable(type, code)).isFalse();
    }

    @ParameterizedTest(name = "{0}.{1} is allowed")
    @CsvSource({
        "Patient, _id",
        "Patient, _lastUpdated",
        "Patient, _tag",
        "Patient, _security",
        "Patient, _profile",
        "Patient, _list",
        "Patient, _has",
        "Patient, gender",
        "Patient, active",
        "Patient, deceased",
        "Patient, address-state",
        "Patient, address-country",
        "Patient, address-use",
        "Patient, general-practitioner",
        "Patient, organization",
        "Patient, language",
        "Patient, link",
        "Observation, code",
        "Observation, category",
        "Observation, status",
        "Observation, subject",
        "Observation, patient",
        "Observation, encounter",
        "Observation, date",
        "Observation, value-quantity",
        "Observation, value-concept",
        "Observation, combo-code",
        "Observation, code-value-quantity",
        "Observation, combo-code-value-quantity",
        "Observation, component-code-value-quantity",
        "Observation, performer",
        "Condition, code",
        "Condition, onset-date",
        "Condition, clinical-status",
        "Condition, subject",
        "Encounter, date",
        "Encounter, class",
        "Encounter, type",
        "Encounter, service-provider",
        "Encounter, reason-code",
        "MedicationRequest, medication",
        "MedicationRequest, authoredon",
        "MedicationRequest, status",
        "Procedure, code",
        "Procedure, date",
        "Immunization, vaccine-code",
        "Immunization, date",
        "DiagnosticReport, code",
        "DiagnosticReport, result",
        "DiagnosticReport, conclusion",
        "DocumentReference, type",
        "DocumentReference, subject",
        "Claim, patient",
        "ExplanationOfBenefit, patient",
        "Group, member",
        "Organization, address-state",
        "Organization, partof"
    })
    void allowed(String type, String code) {
        assertThat(DEID.searchRefusal(type, code)).as(type + "." + code).isEmpty();
        assertThat(DEID.searchable(type, code)).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "Patient; Patient.name.family; false",
                "Patient; Patient.gender; true",
                "Patient; Patient.birthDate.exists(); true",
                "Patient; Patient.telecom.exists(); false",
                "Patient; Patient.birthDate; false",
                "Patient; Patient.deceased.exists() and Patient.deceased != false; true",
                "Patient; Patient.deceased = @2020-01-01; false",
                "Patient; Patient.multipleBirth.ofType(boolean); true",
                "Patient; Patient.multipleBirth.ofType(integer); false",
                "Patient; Patient.contact.relationship; false",
                "Patient; Patient.photo.contentType; false",
                "Patient; Patient.address.where(use = 'home').state; true",
                "Patient; Patient.address.where(city = 'Paris').state; false",
                "Patient; Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race')"
                        + ".extension('ombCategory').value.ofType(Coding); true",
                // an extension's value may be of any type, free text included: a parameter must say which it reads
                "Patient; Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race')"
                        + ".extension('ombCategory').value; false",
                "Patient; Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race')"
                        + ".extension('text').value; false",
                "Patient; Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName').value;"
                        + " false",
                "Patient; Patient.extension.value; false",
                "Patient; Resource.meta.source; false",
                "Patient; Resource.language; true",
                "Patient; Patient.gender.substring(0); false",
                "Patient; Patient.select(birthDate); false",
                "Patient; Patient.select(gender); true",
                "Patient; Patient.where(multipleBirth).gender; false",
                "Patient; Patient.where(active and birthDate.exists()).gender; true",
                "Patient; Patient.birthDate.exists().not(); true",
                "Patient; Patient.(; false",
                "Patient; Person.name | Patient.gender; true",
                "Observation; Observation.value.ofType(string); false",
                "Observation; Observation.value.ofType(Quantity); true",
                "Observation; Observation.value; false",
                "Observation; (Observation.value as CodeableConcept).text; false",
                "Observation; Observation.subject.where(resolve() is Patient); true",
                "Observation; Observation.subject.identifier; false",
                "Observation; Observation.contained.ofType(Practitioner); false",
                "Observation; Observation.note; false",
                "Observation; Observation.note.time; false",
                "Observation; Observation.code.coding.display; true",
                "Observation; Observation.code.text; false",
                "Observation; Observation.referenceRange.text; false",
                "Observation; Observation.effective.ofType(Period).start; true",
                "Observation; Observation.subject.resolve().name; false",
                "Bundle; Bundle.entry[0].resource as Composition; true",
                "DocumentReference; DocumentReference.content.attachment.contentType; true",
                "DocumentReference; DocumentReference.content.attachment.url; false",
                "Encounter; Encounter.participant.actor.display; false",
                "Encounter; Encounter.actualPeriod; true",
                "ImagingStudy; ImagingStudy.series.modality; true",
                "ImagingStudy; ImagingStudy.series.uid; false"
            })
    void expressions(String type, String expression, boolean searchable) {
        assertThat(Deidentifier.searchable(type, "custom", expression))
                .as(expression + ": " + Deidentifier.searchRefusal(type, "custom", expression))
                .isEqualTo(searchable);
    }

    @Test
    void everyParameterOfTheModelIsDecidedAndEveryExpressionIsUnderstood() {
        int allowed = 0;
        List<String> unreadable = new ArrayList<>();
        for (String type : new TreeSet<>(FHIR.getResourceTypes())) {
            for (RuntimeSearchParam param : FHIR.getResourceDefinition(type).getSearchParams()) {
                Optional<String> why = Deidentifier.searchRefusal(type, param);
                assertThat(why).isEqualTo(DEID.searchRefusal(type, param.getName()));
                if (why.isEmpty()) {
                    allowed++;
                } else if (why.get().contains("cannot read") || why.get().contains("does not support")) {
                    unreadable.add(why.get());
                }
            }
        }
        assertThat(unreadable).isEmpty();
        assertThat(allowed).as("most parameters stay searchable").isGreaterThan(2000);
    }

    @Test
    void refusalsSayWhatIsHidden() {
        assertThat(DEID.searchRefusal("Patient", "family"))
                .hasValueSatisfying(s -> assertThat(s).contains("Patient.name"));
        assertThat(DEID.searchRefusal("Patient", "birthdate"))
                .hasValueSatisfying(
                        s -> assertThat(s).contains("Patient.birthDate").contains("year"));
        assertThat(DEID.searchRefusal("Patient", "identifier"))
                .hasValueSatisfying(s -> assertThat(s).contains("pseudonym"));
    }

    @ParameterizedTest(name = ":{0} -> {1}")
    @CsvSource({
        "text, false",
        "TEXT, false",
        "text-advanced, false",
        "identifier, false",
        "exact, true",
        "contains, true",
        "missing, true",
        "not, true",
        "below, true",
        "above, true",
        "in, true",
        "not-in, true",
        "of-type, true",
        "Patient, true"
    })
    void modifiers(String modifier, boolean allowed) {
        assertThat(Deidentifier.modifierSearchable(modifier)).isEqualTo(allowed);
    }
}
