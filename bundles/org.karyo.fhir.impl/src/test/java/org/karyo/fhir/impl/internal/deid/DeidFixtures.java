package org.karyo.fhir.impl.internal.deid;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.hl7.fhir.r5.model.Address;
import org.hl7.fhir.r5.model.Annotation;
import org.hl7.fhir.r5.model.Attachment;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.ContactPoint;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DateType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Narrative;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;

/** Synthea-like resources; every value that must not reach a pseudonymised reader contains {@link #SECRET}. */
final class DeidFixtures {

    static final String SECRET = "SECRET";
    /** The base64 of "SECRET" at the start of a payload, as it appears in JSON. */
    static final String SECRET_BASE64 = Base64.getEncoder().encodeToString("SECRET".getBytes(StandardCharsets.UTF_8));

    static final FhirContext FHIR = FhirContext.forR5Cached();

    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    static final String MRN_SYSTEM = "http://hospital.smarthealthit.org";
    static final String SSN_SYSTEM = "http://hl7.org/fhir/sid/us-ssn";
    static final String RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    static final String ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";
    static final String BIRTHSEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex";
    static final String MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";
    static final String BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";
    static final String BIRTH_TIME = "http://hl7.org/fhir/StructureDefinition/patient-birthTime";
    static final String GEOLOCATION = "http://hl7.org/fhir/StructureDefinition/geolocation";
    static final String DALY = "http://synthetichealth.github.io/synthea/disability-adjusted-life-years";

    private DeidFixtures() {}

    static byte[] key(int seed) {
        byte[] key = new byte[Deidentifier.KEY_BYTES];
        Arrays.fill(key, (byte) seed);
        key[0] = 42;
        return key;
    }

    static IParser json() {
        return FHIR.newJsonParser();
    }

    static String toJson(Resource r) {
        return json().encodeResourceToString(r);
    }

    static Narrative narrative(String text) {
        Narrative n = new Narrative();
        n.setStatus(Narrative.NarrativeStatus.GENERATED);
        n.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + text + "</div>");
        return n;
    }

    static CodeableConcept concept(String system, String code, String display, String text) {
        CodeableConcept c = new CodeableConcept();
        c.addCoding(new Coding(system, code, display));
        if (text != null) {
            c.setText(text);
        }
        return c;
    }

    static Identifier identifier(String typeCode, String system, String value) {
        Identifier id = new Identifier().setSystem(system).setValue(value);
        if (typeCode != null) {
            id.setType(concept(V2_0203, typeCode, typeCode + " display", SECRET + "-type-text-" + typeCode));
        }
        return id;
    }

    static Reference ref(String reference, String display) {
        return new Reference(reference).setDisplay(display);
    }

    static Annotation note(String what) {
        return new Annotation().setText(SECRET + "-note-" + what).setAuthor(new StringType(SECRET + "-author-" + what));
    }

    static Attachment attachment(String what) {
        return new Attachment()
                .setContentType("text/plain")
                .setData((SECRET + "-data-" + what).getBytes(StandardCharsets.UTF_8))
                .setUrl("http://example.org/" + SECRET + "/" + what)
                .setTitle(SECRET + "-title-" + what)
                .setCreationElement(new DateTimeType("2021-04-05T06:07:08Z"));
    }

    /** A Synthea-like patient: every field Synthea writes, plus photo, contact and narrative. */
    static Patient patient() {
        Patient p = new Patient();
        p.setId("pat-1");
        p.getMeta()
                .setVersionId("3")
                .setLastUpdatedElement(new org.hl7.fhir.r5.model.InstantType("2024-01-02T03:04:05.000Z"))
                .setSource("http://ehr.example.org/" + SECRET + "#request-42")
                .addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
        p.getMeta().addTag(new Coding("http://karyo.org/fhir/tags", "NOLIST", "opposed"));
        p.setText(narrative("Generated by Synthea. " + SECRET + " Jane Doe"));

        Extension race = new Extension(RACE);
        race.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", "2106-3", "White"));
        race.addExtension("text", new StringType(SECRET + "-race-text"));
        p.addExtension(race);
        Extension ethnicity = new Extension(ETHNICITY);
        ethnicity.addExtension(
                "ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", "2186-5", "Not Hispanic or Latino"));
        ethnicity.addExtension("text", new StringType(SECRET + "-ethnicity-text"));
        p.addExtension(ethnicity);
        p.addExtension(MAIDEN_NAME, new StringType(SECRET + "-maiden"));
        p.addExtension(BIRTHSEX, new CodeType("F"));
        p.addExtension(
                BIRTH_PLACE,
                new Address().setCity(SECRET + "-birth-city").setState("MA").setCountry("US"));
        p.addExtension(DALY, new DecimalType(new BigDecimal("0.25")));

        p.addIdentifier(identifier(null, "https://github.com/synthetichealth/synthea", SECRET + "-synthea-uuid"));
        p.addIdentifier(identifier("MR", MRN_SYSTEM, SECRET + "-mrn"));
        p.addIdentifier(identifier("SS", SSN_SYSTEM, "999-" + SECRET + "-6789"));
        p.addIdentifier(identifier("DL", "urn:oid:2.16.840.1.113883.4.3.25", "S99" + SECRET));
        p.addIdentifier(identifier(
                        "PPN",
                        "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber",
                        "X" + SECRET + "X")
                .setAssigner(ref("Organization/passport-office", SECRET + "-assigner")));

        p.addName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily(SECRET + "-family")
                .addGiven(SECRET + "-given")
                .addPrefix("Mrs.");
        p.addName().setUse(HumanName.NameUse.MAIDEN).setFamily(SECRET + "-maiden-family");
        p.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue("555-" + SECRET)
                .setUse(ContactPoint.ContactPointUse.HOME);
        p.setGender(org.hl7.fhir.r5.model.Enumerations.AdministrativeGender.FEMALE);

        DateType birth = new DateType("1970-03-04");
        birth.addExtension(BIRTH_TIME, new DateTimeType("1970-03-04T10:11:12-05:00"));
        p.setBirthDateElement(birth);
        p.setDeceased(new DateTimeType("2020-06-15T08:00:00-04:00"));

        Address address = p.addAddress()
                .addLine(SECRET + "-line-1")
                .addLine(SECRET + "-line-2")
                .setCity(SECRET + "-city")
                .setDistrict(SECRET + "-district")
                .setState("MA")
                .setPostalCode(SECRET + "-zip")
                .setCountry("US")
                .setText(SECRET + "-address-text")
                .setUse(Address.AddressUse.HOME);
        address.getPeriod().setStartElement(new DateTimeType("1999-01-01"));
        Extension geo = new Extension(GEOLOCATION);
        geo.addExtension("latitude", new DecimalType(new BigDecimal("42.36")));
        geo.addExtension("longitude", new DecimalType(new BigDecimal("-71.05")));
        address.addExtension(geo);

        p.setMaritalStatus(
                concept("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "M", "Married", SECRET + "-marital"));
        p.setMultipleBirth(new IntegerType(2));
        p.addPhoto(attachment("photo").setContentType("image/png"));
        Patient.ContactComponent contact = p.addContact();
        contact.addRelationship(concept(V2_0203, "N", "Next-of-Kin", null));
        contact.setName(new HumanName().setFamily(SECRET + "-contact"));
        contact.addTelecom().setValue(SECRET + "-contact-phone");
        contact.setGender(org.hl7.fhir.r5.model.Enumerations.AdministrativeGender.MALE);
        p.addCommunication()
                .setLanguage(concept("urn:ietf:bcp:47", "en-US", "English (United States)", SECRET + "-language"))
                .setPreferred(true);
        p.addGeneralPractitioner(ref("Practitioner/prac-1", SECRET + "-dr"));
        p.setManagingOrganization(ref("Organization/org-1", SECRET + "-org"));
        return p;
    }
}
