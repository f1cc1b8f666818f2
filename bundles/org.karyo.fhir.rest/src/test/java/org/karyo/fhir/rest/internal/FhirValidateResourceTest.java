package org.karyo.fhir.rest.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.r5.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.api.FhirStore;
import org.karyo.fhir.api.FhirValidator;
import org.karyo.fhir.api.ValidationIssue;
import org.karyo.fhir.api.ValidationIssue.Severity;

/**
 * {@code $validate} with and without the validator service: who may call it, what it validates (the body, the
 * {@code resource} of a Parameters, a stored resource the caller reads), and FHIR's answers (200 with the issues, 501
 * naming the feature when it is not installed, 403, 404, 400).
 */
class FhirValidateResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"}";

    /** What the fake validator was asked: the JSON and the profile. */
    private final List<String[]> asked = new ArrayList<>();

    private final FhirValidator validator = (json, profile) -> {
        asked.add(new String[] {json, profile});
        return json.contains("\"gender\":\"nope\"")
                ? List.of(
                        new ValidationIssue(Severity.ERROR, "code-invalid", "Patient.gender", "Unknown code nope"),
                        new ValidationIssue(Severity.WARNING, "not-found", null, "Profile not known"))
                : List.of();
    };

    private final FhirStore store = (FhirStore)
            Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FhirStore.class}, (p, m, a) -> {
                if (m.getName().equals("read") && "p1".equals(a[2])) {
                    return new Patient().setGender(AdministrativeGender.MALE).setId("p1");
                }
                if (m.getName().equals("read")) {
                    throw FhirException.notFound((String) a[1], (String) a[2]);
                }
                throw new UnsupportedOperationException(m.getName());
            });

    private final FhirFormat format = new FhirFormat() {
        @Override
        public Resource parse(InputStream json, String expectedType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(Resource resource, OutputStream out, String summary, Set<String> elements, boolean pretty)
                throws IOException {
            out.write(FhirContext.forR5Cached()
                    .newJsonParser()
                    .encodeResourceToString(resource)
                    .getBytes(UTF_8));
        }
    };

    private final FhirValidateResource resource = new FhirValidateResource(store, format);

    private static SecurityContext caller(String... rights) {
        Caller caller = (Caller) Proxy.newProxyInstance(
                FhirValidateResourceTest.class.getClassLoader(),
                new Class<?>[] {Caller.class},
                (p, m, a) -> switch (m.getName()) {
                    case "hasRight" -> List.of(rights).contains((String) a[0]);
                    case "authenticated" -> true;
                    case "id", "getName", "toString" -> "u1";
                    case "hashCode" -> 1;
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (SecurityContext) Proxy.newProxyInstance(
                FhirValidateResourceTest.class.getClassLoader(),
                new Class<?>[] {SecurityContext.class},
                (p, m, a) -> m.getName().equals("getUserPrincipal") ? caller : null);
    }

    private static final UriInfo URI_INFO = (UriInfo) Proxy.newProxyInstance(
            FhirValidateResourceTest.class.getClassLoader(), new Class<?>[] {UriInfo.class}, (p, m, a) -> {
                if (m.getName().equals("getQueryParameters")) {
                    return new MultivaluedHashMap<String, String>();
                }
                if (m.getName().equals("getBaseUri")) {
                    return URI.create("http://h/api/");
                }
                throw new UnsupportedOperationException(m.getName());
            });

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static JsonNode json(Response r) throws IOException {
        Object entity = r.getEntity();
        if (entity instanceof StreamingOutput so) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            so.write(out);
            return JSON.readTree(out.toString(UTF_8));
        }
        return JSON.readTree((String) entity);
    }

    @Test
    void withoutTheServiceTheOperationIsNotImplementedAndNamesTheFeature() throws IOException {
        Response r = resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(PATIENT));
        assertThat(r.getStatus()).isEqualTo(501);
        JsonNode oo = json(r);
        assertThat(oo.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(oo.path("issue").get(0).path("code").asText()).isEqualTo("not-supported");
        assertThat(oo.path("issue").get(0).path("diagnostics").asText()).contains("karyo-fhir-validation");

        resource.bindValidator(validator);
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(PATIENT))
                        .getStatus())
                .isEqualTo(200);
        resource.unbindValidator(validator);
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(PATIENT))
                        .getStatus())
                .isEqualTo(501);
    }

    @Test
    void aCallerWithoutWriteAdminOrReadRightsIsRefusedWithOrWithoutTheService() throws IOException {
        Response without =
                resource.validate(caller("projects.project.read"), URI_INFO, "Patient", null, null, body(PATIENT));
        assertThat(without.getStatus()).isEqualTo(403);
        resource.bindValidator(validator);
        Response with = resource.validate(caller(), URI_INFO, "Patient", null, null, body(PATIENT));
        assertThat(with.getStatus()).isEqualTo(403);
        assertThat(json(with).path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(asked).isEmpty();
        for (String right : List.of(
                "fhir.write",
                "fhir.admin",
                "accesses.read_patient_nominative",
                "accesses.read_patient_pseudonymized",
                "accesses.full_admin")) {
            assertThat(resource.validate(caller(right), URI_INFO, "Patient", null, null, body(PATIENT))
                            .getStatus())
                    .as(right)
                    .isEqualTo(200);
        }
    }

    @Test
    void aValidResourceIsA200WithAnInformationIssueAndAnInvalidOneA200WithItsIssues() throws IOException {
        resource.bindValidator(validator);
        Response valid = resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(PATIENT));
        assertThat(valid.getStatus()).isEqualTo(200);
        JsonNode ok = json(valid);
        assertThat(ok.path("issue")).hasSize(1);
        assertThat(ok.path("issue").get(0).path("severity").asText()).isEqualTo("information");
        assertThat(asked.get(0)[0]).contains("\"gender\":\"female\"");
        assertThat(asked.get(0)[1]).isNull();

        Response invalid = resource.validate(
                caller("fhir.write"),
                URI_INFO,
                "Patient",
                "http://x/profile",
                null,
                body(PATIENT.replace("female", "nope")));
        assertThat(invalid.getStatus()).isEqualTo(200);
        JsonNode issues = json(invalid).path("issue");
        assertThat(issues).hasSize(2);
        assertThat(issues.get(0).path("severity").asText()).isEqualTo("error");
        assertThat(issues.get(0).path("code").asText()).isEqualTo("code-invalid");
        assertThat(issues.get(0).path("expression").get(0).asText()).isEqualTo("Patient.gender");
        assertThat(issues.get(1).path("severity").asText()).isEqualTo("warning");
        assertThat(asked.get(1)[1]).isEqualTo("http://x/profile");
    }

    @Test
    void theParametersFormGivesTheResourceAndTheProfile() throws IOException {
        resource.bindValidator(validator);
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":"
                + PATIENT + "},{\"name\":\"mode\",\"valueCode\":\"create\"},{\"name\":\"profile\",\"valueUri\":"
                + "\"http://x/p\"}]}";
        Response r = resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(parameters));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(JSON.readTree(asked.get(0)[0]).path("resourceType").asText()).isEqualTo("Patient");
        assertThat(asked.get(0)[1]).isEqualTo("http://x/p");

        String delete = parameters.replace("\"create\"", "\"delete\"");
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(delete))
                        .getStatus())
                .isEqualTo(400);
        String unknown = parameters.replace("\"mode\"", "\"colour\"");
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(unknown))
                        .getStatus())
                .isEqualTo(400);
    }

    @Test
    void anotherTypeThanThePathsOrABodyThatIsNotJsonIsA400() throws IOException {
        resource.bindValidator(validator);
        Response other = resource.validate(caller("fhir.write"), URI_INFO, "Observation", null, null, body(PATIENT));
        assertThat(other.getStatus()).isEqualTo(400);
        assertThat(json(other).path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body("{\"resourceType\":"))
                        .getStatus())
                .isEqualTo(400);
        assertThat(resource.validate(caller("fhir.write"), URI_INFO, "Patient", null, null, body(""))
                        .getStatus())
                .isEqualTo(400);
        assertThat(asked).isEmpty();
    }

    @Test
    void aStoredResourceIsValidatedOnlyWhenTheCallerReadsIt() throws IOException {
        // the store answers 404 for what the caller does not read, with or without the service
        assertThat(resource.validateInstance(caller("fhir.write"), URI_INFO, "Patient", "p2", null, null, body(""))
                        .getStatus())
                .isEqualTo(404);
        assertThat(resource.validateInstance(caller("fhir.write"), URI_INFO, "Patient", "p1", null, null, body(""))
                        .getStatus())
                .isEqualTo(501);
        resource.bindValidator(validator);
        assertThat(resource.validateInstance(caller("fhir.write"), URI_INFO, "Patient", "p2", null, null, body(""))
                        .getStatus())
                .isEqualTo(404);
        Response stored =
                resource.validateInstance(caller("fhir.write"), URI_INFO, "Patient", "p1", null, null, body(""));
        assertThat(stored.getStatus()).isEqualTo(200);
        assertThat(asked.get(0)[0]).contains("\"gender\":\"male\"");
        Response sent = resource.validateInstance(
                caller("fhir.write"), URI_INFO, "Patient", "p1", null, "update", body(PATIENT));
        assertThat(sent.getStatus()).isEqualTo(200);
        assertThat(asked.get(1)[0]).contains("\"gender\":\"female\"");
        assertThat(resource.validateInstance(
                                caller("fhir.write"),
                                URI_INFO,
                                "Patient",
                                "p1",
                                null,
                                null,
                                body(PATIENT.replace("p1", "p9")))
                        .getStatus())
                .isEqualTo(400);
        assertThat(resource.validateInstance(caller(), URI_INFO, "Patient", "p1", null, null, body(""))
                        .getStatus())
                .isEqualTo(403);
    }
}
