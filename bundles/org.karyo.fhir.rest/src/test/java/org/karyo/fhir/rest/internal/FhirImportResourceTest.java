package org.karyo.fhir.rest.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UrlType;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RequiresRight;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirRights;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.ImportUpload;

/** {@code $import} and {@code $import-upload} decode their Parameters, call the API and answer FHIR's way. */
class FhirImportResourceTest {

    private final List<ImportRequest> started = new ArrayList<>();
    private final FhirImports imports = new FhirImports() {
        @Override
        public ImportUpload upload(Caller caller, String fileName) {
            return new ImportUpload(
                    "fhir/imports/u1/" + fileName,
                    URI.create("http://store/put?sig=1"),
                    Instant.parse("2026-01-01T00:00:00Z"));
        }

        @Override
        public long start(Caller caller, ImportRequest request) {
            started.add(request);
            return 42;
        }

        @Override
        public List<String> report(Caller caller, long jobId) {
            return List.of();
        }
    };
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
    private final FhirImportResource resource = new FhirImportResource(imports, format);

    private static final SecurityContext ADMIN = (SecurityContext) Proxy.newProxyInstance(
            FhirImportResourceTest.class.getClassLoader(), new Class<?>[] {SecurityContext.class}, (p, m, a) -> null);

    private static UriInfo base(String base) {
        return (UriInfo) Proxy.newProxyInstance(
                FhirImportResourceTest.class.getClassLoader(), new Class<?>[] {UriInfo.class}, (p, m, a) -> {
                    if (m.getName().equals("getBaseUri")) {
                        return URI.create(base);
                    }
                    if (m.getName().equals("getQueryParameters")) {
                        return new javax.ws.rs.core.MultivaluedHashMap<String, String>();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void anImportIsAcceptedWithTheJobsAddress() throws IOException {
        Parameters p = new Parameters();
        p.addParameter().setName("fhirVersion").setValue(new StringType("4.0"));
        p.addParameter().setName("inputFormat").setValue(new StringType("application/fhir+ndjson"));
        Parameters.ParametersParameterComponent input = p.addParameter().setName("input");
        input.addPart().setName("type").setValue(new StringType("Patient"));
        input.addPart().setName("storeKey").setValue(new StringType("fhir/imports/u1/Patient.ndjson"));
        p.addParameter().setName("file").setValue(new StringType("synthea/fhir"));

        Response r = resource.started(ADMIN, base("https://karyo.example/fhir/r5/"), p);
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(r.getHeaderString(HttpHeaders.CONTENT_LOCATION)).isEqualTo("https://karyo.example/api/jobs/42");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(body);
        assertThat(body.toString(UTF_8)).contains("OperationOutcome").contains("job 42");
        assertThat(started)
                .containsExactly(
                        new ImportRequest(List.of("fhir/imports/u1/Patient.ndjson"), List.of("synthea/fhir"), "4.0"));
    }

    @Test
    void urlsOtherResourcesAndUnknownParametersAreRefused() {
        Parameters url = new Parameters();
        url.addParameter().setName("input").addPart().setName("url").setValue(new UrlType("http://evil/x.ndjson"));
        assertThatThrownBy(() -> resource.started(ADMIN, base("http://h/fhir/r5/"), url))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("never a URL");
                });
        assertThatThrownBy(() -> resource.started(ADMIN, base("http://h/fhir/r5/"), new Patient()))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
        Parameters odd = new Parameters();
        odd.addParameter().setName("since").setValue(new StringType("2024"));
        assertThatThrownBy(() -> resource.started(ADMIN, base("http://h/fhir/r5/"), odd))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("since"));
        assertThat(started).isEmpty();
    }

    @Test
    void anUploadGivesTheKeyAndThePresignedUrl() {
        Parameters p = new Parameters();
        p.addParameter().setName("file").setValue(new StringType("Observation.1.ndjson"));
        Parameters out = (Parameters) resource.uploaded(ADMIN, p);
        assertThat(out.getParameter("storeKey").getValue().primitiveValue())
                .isEqualTo("fhir/imports/u1/Observation.1.ndjson");
        assertThat(out.getParameter("url").getValue().primitiveValue()).isEqualTo("http://store/put?sig=1");
        assertThat(out.getParameter("expires").getValue().primitiveValue()).startsWith("2026-01-01");
    }

    @Test
    void bothOperationsNeedFhirAdmin() throws Exception {
        for (String m : List.of("start", "upload")) {
            RequiresRight right = java.util.Arrays.stream(FhirImportResource.class.getMethods())
                    .filter(x -> x.getName().equals(m) && x.isAnnotationPresent(RequiresRight.class))
                    .findFirst()
                    .orElseThrow()
                    .getAnnotation(RequiresRight.class);
            assertThat(right.value()).isEqualTo(FhirRights.ADMIN);
        }
    }
}
