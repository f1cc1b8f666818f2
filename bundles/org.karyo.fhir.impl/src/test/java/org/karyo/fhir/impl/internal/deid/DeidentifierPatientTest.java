package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.BIRTHSEX;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.DALY;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.ETHNICITY;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.MRN_SYSTEM;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.RACE;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SECRET;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SECRET_BASE64;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SSN_SYSTEM;

import java.util.List;
import org.hl7.fhir.r5.model.Address;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profile on a Synthea-like Patient, field by field. */
class DeidentifierPatientTest {

    private static final Deidentifier DEID = new Deidentifier(DeidFixtures.key(1));
    private static Patient original;
    private static Patient out;
    private static String json;

    @BeforeAll
    static void deidentify() {
        original = DeidFixtures.patient();
        out = (Patient) DEID.deidentify(original);
        json = DeidFixtures.toJson(out);
    }

    @Test
    void nothingMarkedSecretSurvives() {
        assertThat(DeidFixtures.toJson(original)).contains(SECRET).contains(SECRET_BASE64);
        assertThat(json).doesNotContain(SECRET).doesNotContain(SECRET_BASE64);
    }

    @Test
    void theOriginalIsNotChanged() {
        assertThat(original.getName()).hasSize(2);
        assertThat(original.getIdentifier().get(1).getValue()).isEqualTo(SECRET + "-mrn");
        assertThat(original.getBirthDateElement().getValueAsString()).isEqualTo("1970-03-04");
        assertThat(original.getMeta().getSecurity()).isEmpty();
    }

    @Test
    void namesTelecomPhotoContactAndNarrativeAreRemoved() {
        assertThat(out.hasName()).isFalse();
        assertThat(out.hasTelecom()).isFalse();
        assertThat(out.hasPhoto()).isFalse();
        assertThat(out.hasContact()).isFalse();
        assertThat(out.hasText()).isFalse();
        assertThat(json).doesNotContain("\"text\"").doesNotContain("div");
    }

    @Test
    void addressKeepsStateCountryAndUseOnly() {
        assertThat(out.getAddress()).hasSize(1);
        Address a = out.getAddressFirstRep();
        assertThat(a.getState()).isEqualTo("MA");
        assertThat(a.getCountry()).isEqualTo("US");
        assertThat(a.getUse()).isEqualTo(Address.AddressUse.HOME);
        assertThat(a.hasLine()).isFalse();
        assertThat(a.hasCity()).isFalse();
        assertThat(a.hasDistrict()).isFalse();
        assertThat(a.hasPostalCode()).isFalse();
        assertThat(a.hasText()).isFalse();
        assertThat(a.hasPeriod()).isFalse();
        assertThat(a.hasExtension()).as("geolocation").isFalse();
    }

    @Test
    void unknownExtensionsAreRemovedAndListedOnesKeepTheirCodes() {
        assertThat(out.getExtension()).extracting(Extension::getUrl).containsExactly(RACE, ETHNICITY, BIRTHSEX, DALY);
        assertThat(json).doesNotContain("mothersMaidenName").doesNotContain("birthPlace");
        Extension race = out.getExtensionByUrl(RACE);
        assertThat(race.getExtension()).extracting(Extension::getUrl).containsExactly("ombCategory");
        assertThat(((org.hl7.fhir.r5.model.Coding)
                                race.getExtensionByUrl("ombCategory").getValue())
                        .getCode())
                .isEqualTo("2106-3");
        assertThat(out.getExtensionByUrl(BIRTHSEX).getValue().primitiveValue()).isEqualTo("F");
        assertThat(out.getExtensionByUrl(DALY).getValue().primitiveValue()).isEqualTo("0.25");
    }

    @Test
    void identifierValuesArePseudonymsKeyedOnSystemAndValue() {
        List<Identifier> ids = out.getIdentifier();
        assertThat(ids).hasSize(5);
        for (int i = 0; i < ids.size(); i++) {
            Identifier before = original.getIdentifier().get(i);
            Identifier after = ids.get(i);
            assertThat(after.getSystem()).isEqualTo(before.getSystem());
            assertThat(after.getValue())
                    .matches("PSN-[A-Z2-7]{16}")
                    .isEqualTo(DEID.pseudonym(before.getSystem(), before.getValue()));
        }
        assertThat(ids.get(1).getSystem()).isEqualTo(MRN_SYSTEM);
        assertThat(ids.get(2).getSystem()).isEqualTo(SSN_SYSTEM);
    }

    @Test
    void identifierTypesKeepTheirCodingsNotTheirTextAndAssignersGo() {
        Identifier mrn = out.getIdentifier().get(1);
        assertThat(mrn.getType().getCodingFirstRep().getCode()).isEqualTo("MR");
        assertThat(mrn.getType().getCodingFirstRep().getDisplay()).isEqualTo("MR display");
        assertThat(mrn.getType().hasText()).isFalse();
        assertThat(out.getIdentifier().get(4).hasAssigner()).isFalse();
    }

    @Test
    void birthDateIsReducedToTheYearWithoutItsBirthTime() {
        assertThat(out.getBirthDateElement().getValueAsString()).isEqualTo("1970");
        assertThat(out.getBirthDateElement().hasExtension()).isFalse();
        assertThat(json).doesNotContain("birthTime");
    }

    @Test
    void deathDateIsReducedToTheMonthInItsOwnTimeZone() {
        assertThat(out.getDeceasedDateTimeType().getValueAsString()).isEqualTo("2020-06");
    }

    @Test
    void multipleBirthBecomesABoolean() {
        assertThat(out.getMultipleBirthBooleanType().getValue()).isTrue();
    }

    @Test
    void codesStayTerminologyTextGoes() {
        assertThat(out.getGender()).isEqualTo(org.hl7.fhir.r5.model.Enumerations.AdministrativeGender.FEMALE);
        assertThat(out.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("M");
        assertThat(out.getMaritalStatus().getCodingFirstRep().getDisplay()).isEqualTo("Married");
        assertThat(out.getMaritalStatus().hasText()).isFalse();
        Patient.PatientCommunicationComponent communication = out.getCommunicationFirstRep();
        assertThat(communication.getLanguage().getCodingFirstRep().getCode()).isEqualTo("en-US");
        assertThat(communication.getLanguage().hasText()).isFalse();
        assertThat(communication.getPreferred()).isTrue();
    }

    @Test
    void referencesKeepTheirTargetNotTheirDisplay() {
        assertThat(out.getGeneralPractitionerFirstRep().getReference()).isEqualTo("Practitioner/prac-1");
        assertThat(out.getGeneralPractitionerFirstRep().hasDisplay()).isFalse();
        assertThat(out.getManagingOrganization().getReference()).isEqualTo("Organization/org-1");
        assertThat(out.getManagingOrganization().hasDisplay()).isFalse();
    }

    @Test
    void idAndMetaAreKeptExceptSourceAndThePseudonymisedLabelIsAdded() {
        assertThat(out.getIdPart()).isEqualTo("pat-1");
        assertThat(out.getMeta().getVersionId()).isEqualTo("3");
        assertThat(out.getMeta().getLastUpdatedElement().getValueAsString()).isEqualTo("2024-01-02T03:04:05.000Z");
        assertThat(out.getMeta().getProfile().get(0).getValue())
                .isEqualTo("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
        assertThat(out.getMeta().getTag()).extracting(c -> c.getCode()).containsExactly("NOLIST");
        assertThat(out.getMeta().hasSource()).isFalse();
        assertThat(out.getMeta().getSecurity(Deidentifier.SECURITY_SYSTEM, Deidentifier.PSEUDED))
                .isNotNull();
    }

    @Test
    void deidentifyingTwiceGivesTheSameResourceWithOneLabel() {
        Patient again = (Patient) DEID.deidentify(DeidFixtures.patient());
        assertThat(DeidFixtures.toJson(again)).isEqualTo(json);
        Patient twice = (Patient) DEID.deidentify(out);
        assertThat(twice.getMeta().getSecurity()).hasSize(1);
    }

    @Test
    void theResultParsesBackAsR5() {
        Patient parsed = DeidFixtures.json().parseResource(Patient.class, json);
        assertThat(parsed.getBirthDateElement().getValueAsString()).isEqualTo("1970");
    }
}
