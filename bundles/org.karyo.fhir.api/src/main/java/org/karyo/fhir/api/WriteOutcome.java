package org.karyo.fhir.api;

import java.time.Instant;
import org.hl7.fhir.r5.model.Resource;

/**
 * What a write did.
 *
 * @param resource the resource as stored (with {@code meta.versionId} and {@code meta.lastUpdated}); {@code null}
 *     after a delete
 * @param type the resource type
 * @param id the logical id
 * @param version the version written (after a delete: the deletion's version; 0 when nothing was deleted)
 * @param lastUpdated when
 * @param created whether a resource was created (201) rather than changed or matched (200)
 */
public record WriteOutcome(
        Resource resource, String type, String id, long version, Instant lastUpdated, boolean created) {}
