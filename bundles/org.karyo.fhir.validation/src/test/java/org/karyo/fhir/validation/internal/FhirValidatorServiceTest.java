package org.karyo.fhir.validation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.ValidationIssue;
import org.karyo.fhir.api.ValidationIssue.Severity;

/**
 * The validator service on HAPI's R5 definitions (built once for the class, offline): a valid resource has no error, an
 * invalid one has errors naming where, a profile nobody knows is a warning, and what is not a JSON resource is fatal.
 */
class FhirValidatorServiceTest {
    private static final FhirValidatorService SERVICE = new FhirValidatorService();

    private static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\","
            + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},"
            + "\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"2024-05-01T10:00:00Z\","
            + "\"valueQuantity\":{\"value\":72,\"unit\":\"beats/minute\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"/min\"}}";

    private static List<ValidationIssue> errors(List<ValidationIssue> issues) {
        return issues.stream().filter(ValidationIssue::isError).toList();
    }

    @Test
    void aValidResourceHasNoError() {
        List<ValidationIssue> issues = SERVICE.validate(OBSERVATION, null);
        assertThat(errors(issues)).as("%s", issues).isEmpty();
    }

    @Test
    void anInvalidResourceHasErrorsNamingTheirLocation() {
        String invalid = OBSERVATION
                .replace("\"status\":\"final\",", "\"status\":\"done\",")
                .replace("\"effectiveDateTime\":\"2024-05-01T10:00:00Z\"", "\"effectiveDateTime\":\"yesterday\"")
                .replace("\"id\":\"o1\",", "\"id\":\"o1\",\"colour\":\"red\",");
        List<ValidationIssue> issues = SERVICE.validate(invalid, null);
        List<ValidationIssue> errors = errors(issues);
        assertThat(errors).as("%s", issues).hasSizeGreaterThanOrEqualTo(3);
        assertThat(errors).extracting(ValidationIssue::expression).allSatisfy(e -> assertThat(e)
                .startsWith("Observation"));
        assertThat(errors)
                .extracting(ValidationIssue::expression)
                .anySatisfy(e -> assertThat(e).contains("status"))
                .anySatisfy(e -> assertThat(e).contains("effective"));
        assertThat(errors).anySatisfy(e -> assertThat(e.message()).contains("colour"));
        assertThat(issues.get(0).isError()).as("errors come first").isTrue();
    }

    @Test
    void aMissingRequiredElementIsAnError() {
        List<ValidationIssue> issues = SERVICE.validate(OBSERVATION.replace("\"status\":\"final\",", ""), null);
        assertThat(errors(issues)).as("%s", issues).anySatisfy(e -> assertThat(e.message())
                .contains("status"));
    }

    @Test
    void anUnknownProfileIsAWarningNotAnError() {
        String profile = "http://example.org/fhir/StructureDefinition/nobody-knows-me";
        List<ValidationIssue> issues = SERVICE.validate(OBSERVATION, profile);
        assertThat(errors(issues)).as("%s", issues).isEmpty();
        assertThat(issues).filteredOn(i -> i.severity() == Severity.WARNING).anySatisfy(i -> assertThat(i.message())
                .contains(profile));

        String declared =
                OBSERVATION.replace("\"id\":\"o1\",", "\"id\":\"o1\",\"meta\":{\"profile\":[\"" + profile + "\"]},");
        List<ValidationIssue> own = SERVICE.validate(declared, null);
        assertThat(errors(own)).as("%s", own).isEmpty();
        assertThat(own).filteredOn(i -> i.severity() == Severity.WARNING).anySatisfy(i -> assertThat(i.message())
                .contains(profile));
    }

    @Test
    void aKnownProfileTheResourceDoesNotMeetIsAnError() {
        // the core vital-signs profile requires a category; this Observation has none
        List<ValidationIssue> issues =
                SERVICE.validate(OBSERVATION, "http://hl7.org/fhir/StructureDefinition/vitalsigns");
        assertThat(errors(issues)).as("%s", issues).isNotEmpty();
    }

    @Test
    void whatIsNotAJsonResourceIsFatal() {
        assertThat(SERVICE.validate("<Patient xmlns=\"http://hl7.org/fhir\"/>", null))
                .singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo(Severity.FATAL));
        assertThat(errors(SERVICE.validate("{\"resourceType\":", null))).isNotEmpty();
        assertThat(errors(SERVICE.validate("{\"resourceType\":\"NoSuchType\"}", null)))
                .isNotEmpty();
    }
}
