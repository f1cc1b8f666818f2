package org.karyo.itests.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * Everything the FHIR API emits is valid R5: a Synthea sample (R4, converted to R5 in this JVM) is loaded through a
 * transaction, then a read of one resource of each type, a searchset (with includes), the history, $everything, the
 * transaction-response and batch-response Bundles, the OperationOutcomes of errors (a 404, a 400, the 501 of
 * {@code $validate} without its feature) and the CapabilityStatement are validated with HAPI's R5 instance validator,
 * built once in this JVM, offline (core definitions; code systems it does not hold and profiles it does not know are
 * warnings). Each must have no error; the issues are printed when one has.
 */
@ExtendWith(SharedPlatform.class)
class FhirR5ValidityTest {
    private static final String F = "/fhir/r5";
    private static final String FHIR_JSON = "application/fhir+json";

    @Test
    void whatTheApiEmitsIsValidR5(Platform platform) throws IOException {
        long start = System.nanoTime();
        Api admin = platform.admin();
        Map<String, List<String>> sample = sample();
        Map<String, String> emitted = new LinkedHashMap<>();

        // the sample in three transactions of PUTs with Synthea's ids: conditional references
        // (Organization?identifier=...) resolve against what is stored before a transaction, so what they name comes
        // first
        List<List<String>> stages =
                List.of(List.of("Organization", "Practitioner"), List.of("Location", "PractitionerRole"), List.of());
        Set<String> staged = stages.stream().flatMap(List::stream).collect(Collectors.toSet());
        for (List<String> stage : stages) {
            StringBuilder tx = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
            String sep = "";
            for (Map.Entry<String, List<String>> e : sample.entrySet()) {
                if (stage.isEmpty() ? staged.contains(e.getKey()) : !stage.contains(e.getKey())) {
                    continue;
                }
                for (String json : e.getValue()) {
                    String id = Api.JSON.readTree(json).path("id").asText();
                    tx.append(sep)
                            .append("{\"resource\":")
                            .append(json)
                            .append(",\"request\":{\"method\":\"PUT\",\"url\":\"")
                            .append(e.getKey())
                            .append('/')
                            .append(id)
                            .append("\"}}");
                    sep = ",";
                }
            }
            tx.append("]}");
            Api.Response txr = send(admin, "POST", F, tx.toString());
            assertThat(txr.status()).as(txr.toString()).isEqualTo(200);
            assertThat(txr.json().path("type").asText()).isEqualTo("transaction-response");
            emitted.put("transaction-response " + stage, txr.body());
        }

        String patient = null;
        for (Map.Entry<String, List<String>> e : sample.entrySet()) {
            String id = Api.JSON.readTree(e.getValue().get(0)).path("id").asText();
            if (e.getKey().equals("Patient")) {
                patient = id;
            }
            Api.Response read = send(admin, "GET", F + "/" + e.getKey() + "/" + id, null);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            emitted.put("read " + e.getKey(), read.body());
        }

        Api.Response search = send(
                admin,
                "GET",
                F + "/Encounter?subject=Patient/" + patient + "&_include=Encounter:subject&_count=2",
                null);
        assertThat(search.json().path("type").asText()).isEqualTo("searchset");
        assertThat(search.json().path("entry")).isNotEmpty();
        emitted.put("searchset", search.body());
        Api.Response history = send(admin, "GET", F + "/Patient/" + patient + "/_history", null);
        assertThat(history.json().path("type").asText()).isEqualTo("history");
        emitted.put("history", history.body());
        Api.Response typeHistory = send(admin, "GET", F + "/Observation/_history?_count=3", null);
        emitted.put("type history", typeHistory.body());
        Api.Response everything = send(admin, "GET", F + "/Patient/" + patient + "/$everything?_count=5", null);
        assertThat(everything.status()).as(everything.toString()).isEqualTo(200);
        emitted.put("$everything", everything.body());

        Api.Response batch = send(
                admin,
                "POST",
                F,
                "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                        + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + patient + "\"}},"
                        + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/no-such-patient\"}},"
                        + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?subject=Patient/" + patient
                        + "&_count=1\"}}]}");
        assertThat(batch.json().path("type").asText()).isEqualTo("batch-response");
        emitted.put("batch-response", batch.body());

        Api.Response missing = send(admin, "GET", F + "/Patient/no-such-patient", null);
        assertThat(missing.status()).isEqualTo(404);
        emitted.put("OperationOutcome 404", missing.body());
        Api.Response bad = send(admin, "GET", F + "/Observation?colour=red", null);
        assertThat(bad.status()).isEqualTo(400);
        emitted.put("OperationOutcome 400", bad.body());
        // the shared platform has no karyo-fhir-validation: $validate says so
        Api.Response notInstalled = send(
                admin, "POST", F + "/Patient/$validate", sample.get("Patient").get(0));
        assertThat(notInstalled.status()).as(notInstalled.toString()).isEqualTo(501);
        assertThat(notInstalled.body()).contains("karyo-fhir-validation");
        emitted.put("OperationOutcome 501", notInstalled.body());

        Api.Response metadata = send(admin.anonymous(), "GET", F + "/metadata", null);
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).as("no validator, no $validate").doesNotContain("Resource-validate");
        emitted.put("CapabilityStatement", metadata.body());

        long validation = System.nanoTime();
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : emitted.entrySet()) {
            List<String> found = Validator.errors(e.getValue());
            if (!found.isEmpty()) {
                errors.put(e.getKey(), found);
            }
        }
        System.out.printf(
                "FhirR5ValidityTest: %d documents (%d resource types), validator built in %d ms, validation %d ms,"
                        + " test %d ms%n",
                emitted.size(),
                sample.size(),
                Validator.BUILD_MS,
                (System.nanoTime() - validation) / 1_000_000,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(errors)
                .as(() -> errors.entrySet().stream()
                        .map(e -> e.getKey() + ":\n  " + String.join("\n  ", e.getValue()))
                        .collect(Collectors.joining("\n")))
                .isEmpty();
    }

    /** The Synthea sample, type by type, each resource converted from R4 to R5 JSON. */
    private static Map<String, List<String>> sample() throws IOException {
        FhirContext r4 = FhirContext.forR4Cached();
        FhirContext r5 = FhirContext.forR5Cached();
        Map<String, List<String>> byType = new LinkedHashMap<>();
        Path dir = Path.of(System.getProperty("karyo.fhir.sample"));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList();
        }
        for (Path file : files) {
            String type = file.getFileName().toString().replace(".ndjson", "");
            List<String> resources = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    org.hl7.fhir.r4.model.Resource in =
                            (org.hl7.fhir.r4.model.Resource) r4.newJsonParser().parseResource(line);
                    org.hl7.fhir.r5.model.Resource out = VersionConvertorFactory_40_50.convertResource(in);
                    resources.add(r5.newJsonParser().encodeResourceToString(completed(out)));
                }
            }
            byType.put(type, resources);
        }
        assertThat(byType).hasSizeGreaterThanOrEqualTo(20);
        return byType;
    }

    /**
     * The elements R5 requires that Synthea's R4 cannot carry, so the conversion leaves them out: a UDI carrier's
     * issuer (Synthea's UDIs are FDA/GS1 ones), a Coverage's kind (Synthea's coverages are insurance), and a
     * SupplyDelivery's type in R5's code system (the store does not check required bindings, so it would keep R4's).
     */
    private static org.hl7.fhir.r5.model.Resource completed(org.hl7.fhir.r5.model.Resource r) {
        if (r instanceof org.hl7.fhir.r5.model.Device d) {
            d.getUdiCarrier().stream()
                    .filter(u -> !u.hasIssuer())
                    .forEach(u -> u.setIssuer("http://hl7.org/fhir/NamingSystem/fda-udi"));
        }
        if (r instanceof org.hl7.fhir.r5.model.SupplyDelivery sd) {
            // R4's supply-item-type codes; R5 requires its own code system (the converter copies the coding as is)
            sd.getType().getCoding().stream()
                    .filter(c -> "http://terminology.hl7.org/CodeSystem/supply-item-type".equals(c.getSystem()))
                    .forEach(c -> c.setSystem("http://hl7.org/fhir/supplydelivery-supplyitemtype"));
        }
        if (r instanceof org.hl7.fhir.r5.model.DomainResource dr) {
            for (org.hl7.fhir.r5.model.Resource c : dr.getContained()) {
                if (c instanceof org.hl7.fhir.r5.model.Coverage cov && !cov.hasKind()) {
                    cov.setKind(org.hl7.fhir.r5.model.Coverage.Kind.INSURANCE);
                }
            }
        }
        return r;
    }

    private static Api.Response send(Api api, String method, String path, String body) {
        HttpRequest.Builder b = api.request(path);
        if (body != null) {
            b.header("Content-Type", FHIR_JSON);
        }
        return api.send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** HAPI's R5 instance validator, built once per JVM on first use. */
    private static final class Validator {
        static final long BUILD_MS;
        private static final FhirValidator VALIDATOR;

        static {
            long t = System.nanoTime();
            FhirContext context = FhirContext.forR5();
            UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(context);
            unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
            FhirInstanceValidator module = new FhirInstanceValidator(new ValidationSupportChain(
                    new DefaultProfileValidationSupport(context),
                    new CommonCodeSystemsTerminologyService(context),
                    new InMemoryTerminologyServerValidationSupport(context),
                    new SnapshotGeneratingValidationSupport(context),
                    unknown));
            module.setAnyExtensionsAllowed(true);
            module.setErrorForUnknownProfiles(false);
            VALIDATOR = context.newValidator().registerValidatorModule(module);
            VALIDATOR.validateWithResult("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"warm-up\"}}");
            BUILD_MS = (System.nanoTime() - t) / 1_000_000;
        }

        /** The error and fatal issues of one JSON document, as {@code severity location: message}. */
        static List<String> errors(String json) {
            ValidationResult result = VALIDATOR.validateWithResult(json);
            List<String> out = new ArrayList<>();
            for (SingleValidationMessage m : result.getMessages()) {
                if (m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL) {
                    out.add(m.getSeverity().getCode() + " " + m.getLocationString() + ": " + m.getMessage());
                }
            }
            return out;
        }
    }
}
