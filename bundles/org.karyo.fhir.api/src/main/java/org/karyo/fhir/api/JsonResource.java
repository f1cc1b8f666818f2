package org.karyo.fhir.api;

import java.time.Instant;

/**
 * A resource as the JSON the store answers with ({@link FhirStore#readJson}), and what the HTTP layer needs of it.
 *
 * @param type its resource type
 * @param id its id
 * @param versionId its {@code meta.versionId} (the ETag)
 * @param lastUpdated its {@code meta.lastUpdated} (Last-Modified)
 * @param json the resource as FHIR JSON
 */
public record JsonResource(String type, String id, String versionId, Instant lastUpdated, String json) {}
