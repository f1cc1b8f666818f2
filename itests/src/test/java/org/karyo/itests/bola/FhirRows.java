package org.karyo.itests.bola;

import static org.karyo.itests.bola.Expect.AUTHENTICATED;
import static org.karyo.itests.bola.Expect.GLOBAL_RIGHT;
import static org.karyo.itests.bola.Expect.OBJECT;
import static org.karyo.itests.bola.Expect.OBJECT_RIGHT;
import static org.karyo.itests.bola.Expect.OBJECT_RIGHT_IN_REFERENCE;
import static org.karyo.itests.bola.Expect.PUBLIC;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.karyo.itests.bola.Row.Call;
import org.karyo.itests.support.Api;

/**
 * The FHIR store's operations ({@code org.karyo.fhir.rest}). The objects are a Patient of H (its managing Organization
 * is linked to H's perimeter node) and its Observations: callers read them through their patient-data rights on H
 * (inherited from an ancestor), others get 404; writes need {@code fhir.write} (no-access callers get 403) and may only
 * touch resources the writer reads, or refer to patients it reads (422, as a reference that does not resolve).
 */
final class FhirRows {
    private static final String F = "/fhir/r5";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private FhirRows() {}

    static List<Row> all() {
        return List.of(
                row("GET", F + "/metadata", PUBLIC, (w, who) -> Call.of(F + "/metadata")),
                row("POST", F, AUTHENTICATED, (w, who) -> Call.of(F, batchRead(w))),
                row("GET", F, AUTHENTICATED, (w, who) -> Call.of(F + "?_type=Patient&_id=" + patient(w))),
                row("GET", F + "/_history", AUTHENTICATED, (w, who) -> Call.of(F + "/_history?_count=1")),
                row(
                        "GET",
                        F + "/{type}",
                        AUTHENTICATED,
                        (w, who) -> Call.of(F + "/Observation?subject=Patient/" + patient(w))),
                row(
                        "POST",
                        F + "/{type}/_search",
                        AUTHENTICATED,
                        (w, who) -> Call.of(F + "/Observation/_search", "subject=Patient/" + patient(w), FORM)),
                row(
                        "GET",
                        F + "/{type}/_history",
                        AUTHENTICATED,
                        (w, who) -> Call.of(F + "/Patient/_history?_count=1")),
                row(
                        "POST",
                        F + "/{type}",
                        OBJECT_RIGHT_IN_REFERENCE,
                        (w, who) -> Call.of(F + "/Observation", observation(w, null))),
                row("PUT", F + "/{type}", OBJECT_RIGHT_IN_REFERENCE, (w, who) -> {
                    String id = w.unique("bola");
                    return Call.of(F + "/Observation?identifier=urn:bola%7C" + id, observation(w, id));
                }),
                row(
                        "DELETE",
                        F + "/{type}",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of(F + "/Observation?identifier=urn:bola%7C" + w.unique("none"))),
                row("GET", F + "/{type}/{id}", OBJECT, (w, who) -> Call.of(F + "/Patient/" + patient(w))),
                row("PUT", F + "/{type}/{id}", OBJECT_RIGHT, (w, who) -> {
                    String id = newObservation(w);
                    return Call.of(F + "/Observation/" + id, observationWithId(w, id));
                }),
                row(
                        "PATCH",
                        F + "/{type}/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                F + "/Observation/" + newObservation(w),
                                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]",
                                JSON_PATCH)),
                row(
                        "DELETE",
                        F + "/{type}/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(F + "/Observation/" + newObservation(w))),
                row(
                        "GET",
                        F + "/{type}/{id}/_history",
                        OBJECT,
                        (w, who) -> Call.of(F + "/Patient/" + patient(w) + "/_history")),
                row(
                        "GET",
                        F + "/{type}/{id}/_history/{vid}",
                        OBJECT,
                        (w, who) -> Call.of(F + "/Patient/" + patient(w) + "/_history/1")),
                row(
                        "GET",
                        F + "/Patient/{id}/$everything",
                        OBJECT,
                        (w, who) -> Call.of(F + "/Patient/" + patient(w) + "/$everything")),
                // $validate: the shared platform has no karyo-fhir-validation, so admitted callers get its 501; a
                // caller needs fhir.write, fhir.admin or a patient-data read right (403), and reads the stored one
                // (404)
                row(
                                "POST",
                                F + "/{type}/$validate",
                                GLOBAL_RIGHT,
                                (w, who) -> Call.of(F + "/Observation/$validate", observation(w, null)))
                        .answering(501),
                row(
                                "POST",
                                F + "/{type}/{id}/$validate",
                                OBJECT_RIGHT,
                                (w, who) -> Call.of(
                                        F + "/Patient/" + patient(w) + "/$validate",
                                        "{\"resourceType\":\"Parameters\"}"))
                        .answering(501),
                // bulk import needs fhir.admin, a global right the matrix's role holds
                row(
                        "POST",
                        F + "/$import-upload",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of(F + "/$import-upload", parameters("file", "Patient.bola.ndjson"))),
                row(
                        "POST",
                        F + "/$import",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of(F + "/$import", parameters("storeKey", uploadedFile(w)))));
    }

    private static String parameters(String name, String value) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name + "\",\"valueString\":\"" + value
                + "\"}]}";
    }

    /** A one-line NDJSON file of Patients put into the object store through {@code $import-upload}; its key. */
    private static String uploadedFile(World w) {
        Api.Response r = World.ok(w.admin().post(F + "/$import-upload", parameters("file", "Patient.bola.ndjson")));
        String key = null;
        String url = null;
        for (JsonNode p : r.json().path("parameter")) {
            if (p.path("name").asText().equals("storeKey")) {
                key = p.path("valueString").asText();
            } else if (p.path("name").asText().equals("url")) {
                url = p.path("valueUrl").asText();
            }
        }
        String line = "{\"resourceType\":\"Patient\",\"id\":\""
                + w.unique("bola-imp").replaceAll("[^A-Za-z0-9\\-.]", "-") + "\"}\n";
        try {
            HttpResponse<String> put = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .PUT(HttpRequest.BodyPublishers.ofString(line))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() >= 300) {
                throw new IllegalStateException("upload of the import file failed: " + put.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return key;
    }

    private static Row row(String method, String template, Expect expect, Row.Fixture fixture) {
        return new Row(method, template, expect, fixture);
    }

    /** The Organization linked to H's perimeter node, and a Patient it manages (made once). */
    static String patient(World w) {
        return w.shared("fhir.patient", world -> {
            String org = "bola-org-" + world.run;
            World.ok(world.admin()
                    .put(
                            F + "/Organization/" + org,
                            "{\"resourceType\":\"Organization\",\"id\":\"" + org
                                    + "\",\"name\":\"Hospital H\",\"identifier\":[{\"system\":\"urn:karyo:perimeter\",\"value\":\""
                                    + world.hospital + "\"}]}"));
            String pid = "bola-pat-" + world.run;
            World.ok(world.admin()
                    .put(
                            F + "/Patient/" + pid,
                            "{\"resourceType\":\"Patient\",\"id\":\"" + pid
                                    + "\",\"gender\":\"female\",\"managingOrganization\":{\"reference\":\"Organization/"
                                    + org
                                    + "\"}}"));
            return pid;
        });
    }

    private static String observation(World w, String identifier) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + (identifier == null
                        ? ""
                        : "\"identifier\":[{\"system\":\"urn:bola\",\"value\":\"" + identifier + "\"}],")
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient(w) + "\"},\"valueQuantity\":{\"value\":72}}";
    }

    private static String observationWithId(World w, String id) {
        return observation(w, null)
                .replace(
                        "{\"resourceType\":\"Observation\",",
                        "{\"resourceType\":\"Observation\"," + "\"id\":\"" + id + "\",");
    }

    /** A fresh Observation of the patient, as the administrator; its id. */
    private static String newObservation(World w) {
        String id = w.unique("bola-obs").replaceAll("[^A-Za-z0-9\\-.]", "-");
        World.ok(w.admin().put(F + "/Observation/" + id, observationWithId(w, id)));
        return id;
    }

    /** A batch reading the patient: every authenticated caller gets a batch-response (the entry says 404 or 200). */
    private static String batchRead(World w) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\","
                + "\"url\":\"Patient/" + patient(w) + "\"}}]}";
    }
}
