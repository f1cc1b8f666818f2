package org.karyo.fhir.rest.internal;

import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.FhirFormat;

/**
 * How the FHIR resources read and answer: bodies are parsed strictly by {@link FhirFormat} inside the resource method
 * (so that every error, a malformed body included, is an OperationOutcome from {@link FhirErrors}), and resources are
 * written as {@code application/fhir+json} with the request's {@code _summary}, {@code _elements} and {@code _pretty}.
 */
final class Fhir {
    static final String FHIR_JSON = "application/fhir+json";
    static final String JSON_PATCH = "application/json-patch+json";

    private Fhir() {}

    /** Runs a FHIR interaction: its answer, or its failure as an OperationOutcome. */
    static Response answer(Supplier<Response> interaction) {
        try {
            return interaction.get();
        } catch (RuntimeException e) {
            return FhirErrors.response(e);
        }
    }

    /** The body, parsed strictly as a resource of {@code expectedType} ({@code null}: any type). */
    static Resource parse(FhirFormat format, InputStream body, String expectedType) {
        return format.parse(body, expectedType);
    }

    /** A {@code 200} with the resource, its version as ETag and its last update as Last-Modified. */
    static Response ok(FhirFormat format, UriInfo uri, Resource r) {
        Response.ResponseBuilder b = Response.ok(body(format, uri, r), FHIR_JSON);
        if (r.getMeta().hasVersionId()) {
            b.tag(new EntityTag(r.getMeta().getVersionId(), true));
        }
        if (r.getMeta().hasLastUpdated()) {
            b.lastModified(r.getMeta().getLastUpdated());
        }
        return b.build();
    }

    /**
     * Whether the answer goes out as the store writes it: no {@code _summary}, {@code _elements} or {@code _pretty} in
     * the query.
     */
    static boolean plain(UriInfo uri) {
        if (uri == null) {
            return true;
        }
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        return !q.containsKey("_summary") && !q.containsKey("_elements") && !q.containsKey("_pretty");
    }

    /** A {@code 200} with JSON the store wrote (and, for a resource, its version and last update). */
    static Response ok(String json, String versionId, java.time.Instant lastUpdated) {
        Response.ResponseBuilder b = Response.ok(json, FHIR_JSON);
        if (versionId != null) {
            b.tag(new EntityTag(versionId, true));
        }
        if (lastUpdated != null) {
            b.lastModified(java.util.Date.from(lastUpdated));
        }
        return b.build();
    }

    /** The resource as a streamed body. */
    static StreamingOutput body(FhirFormat format, UriInfo uri, Resource r) {
        String summary = null;
        Set<String> elements = Set.of();
        boolean pretty = false;
        if (uri != null) {
            MultivaluedMap<String, String> q = uri.getQueryParameters();
            summary = q.getFirst("_summary");
            String el = q.getFirst("_elements");
            if (el != null && !el.isBlank()) {
                elements = new LinkedHashSet<>(List.of(el.split(",")));
            }
            pretty = "true".equals(q.getFirst("_pretty"));
        }
        String s = summary;
        Set<String> e = elements;
        boolean p = pretty;
        return out -> format.write(r, out, s, e, p);
    }
}
