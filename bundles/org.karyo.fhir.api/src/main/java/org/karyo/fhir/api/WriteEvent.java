package org.karyo.fhir.api;

import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.security.Caller;

/**
 * One resource being written, as a {@link FhirWriteHook} sees it.
 *
 * @param caller who writes
 * @param interaction create, update, patch or delete
 * @param type the resource type
 * @param id the logical id (already assigned for a create)
 * @param resource the new state (not yet stored); {@code null} for a delete
 * @param inImport whether the write belongs to a bulk import (references are checked when the import ends)
 */
public record WriteEvent(
        Caller caller, Interaction interaction, String type, String id, Resource resource, boolean inImport) {}
