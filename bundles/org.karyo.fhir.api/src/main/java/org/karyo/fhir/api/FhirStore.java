package org.karyo.fhir.api;

import java.util.Optional;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The FHIR store for a caller, in Java, with the same rules as {@code /fhir/r5}: the caller's patient-data rights on
 * the patients' perimeters (out-of-perimeter resources do not exist for it), pseudonymised resources for pseudonymised
 * access, the write hooks, read and write audit, and the scope policies. Every failure is a {@link FhirException}.
 */
@ProviderType
public interface FhirStore {

    /** The current version of a resource; 404 when unknown or not visible, 410 when deleted. */
    Resource read(Caller caller, String type, String id);

    /**
     * {@link #read} as JSON, for an answer that goes out as it is (no {@code _summary}, no {@code _elements}): the body
     * the store keeps, without parsing it again, when the caller reads the resource nominatively; otherwise the
     * de-identified resource written as JSON. Same rules, errors and audit as {@link #read}.
     */
    JsonResource readJson(Caller caller, String type, String id);

    /** One version of a resource; 404 when unknown or not visible. */
    Resource vread(Caller caller, String type, String id, long version);

    /**
     * A search of one type ({@code type} non-null) or of every type ({@code null}, with {@code _type}); the answer is a
     * searchset Bundle with its {@code self} link and, where there are more, {@code next}.
     */
    Bundle search(Caller caller, String type, SearchRequest request);

    /**
     * {@link #search} as the JSON of its searchset Bundle, each resource written as {@link #readJson} writes it. Same
     * rules, errors and audit as {@link #search}; a search with {@code _summary} or {@code _elements} is answered by
     * {@link #search}.
     */
    String searchJson(Caller caller, String type, SearchRequest request);

    /**
     * The next page of a search, from the opaque token of a {@code next} link; the caller's current rights apply
     * again.
     */
    Bundle page(Caller caller, String token, String baseUrl);

    /** Creates a resource (the server assigns the id); or, with {@code If-None-Exist}, matches one. */
    WriteOutcome create(Caller caller, Resource resource, WriteOptions options);

    /** Creates or replaces the resource {@code type/id} (a client-assigned id when it is new). */
    WriteOutcome update(Caller caller, String type, String id, Resource resource, WriteOptions options);

    /** Applies a JSON Patch (RFC 6902) document to the current version. */
    WriteOutcome patch(Caller caller, String type, String id, String jsonPatch, WriteOptions options);

    /** Deletes a resource (soft: its history is kept); deleting a deleted or unknown resource is not an error. */
    WriteOutcome delete(Caller caller, String type, String id, WriteOptions options);

    /** A conditional update: the search {@code criteria} must match at most one resource. */
    WriteOutcome conditionalUpdate(
            Caller caller, String type, String criteria, Resource resource, WriteOptions options);

    /** A conditional delete of the (at most one) resource the search {@code criteria} matches. */
    WriteOutcome conditionalDelete(Caller caller, String type, String criteria, WriteOptions options);

    /**
     * A batch or transaction Bundle: a transaction is all or nothing in one unit of work, with {@code urn:uuid}
     * references and conditional creates and references resolved; a batch answers each entry on its own.
     */
    Bundle transaction(Caller caller, Bundle bundle, String baseUrl);

    /** The history of a resource ({@code id} non-null), of a type ({@code type} non-null) or of everything. */
    Bundle history(Caller caller, String type, String id, SearchRequest request);

    /** {@code Patient/{id}/$everything}: the patient and every resource of its compartment the caller may see. */
    Bundle everything(Caller caller, String patientId, SearchRequest request);

    /**
     * Erases a resource with all its versions ({@code fhir.admin}; GDPR requests and retention); with
     * {@code patientCompartment}, a Patient's whole compartment. Returns how many versions were erased.
     */
    long expunge(Caller caller, String type, String id, boolean patientCompartment);

    /** The id the store knows a resource by, when {@code type} has a resource with that identifier. */
    Optional<String> idByIdentifier(Caller caller, String type, String system, String value);
}
