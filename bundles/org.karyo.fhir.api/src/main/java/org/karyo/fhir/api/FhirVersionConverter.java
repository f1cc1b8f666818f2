package org.karyo.fhir.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Converts resources of another FHIR version to R5, for bulk imports ({@link FhirImports}): a whiteboard service, one
 * per version (the optional feature {@code karyo-fhir-r4} installs the one for {@code 4.0}). An import of a version
 * without a converter is refused.
 *
 * <p>The result is R5 JSON text rather than a model object, so that a converter may embed whatever model of its
 * version it needs without sharing classes with the store; the store then parses it with the same strict checks as R5
 * input.
 */
@ConsumerType
public interface FhirVersionConverter {

    /** The service property naming the version it reads, as {@link #fromVersion()} does. */
    String VERSION = "fhir.version";

    /** The FHIR version it reads, {@code major.minor} ({@code 4.0}). */
    String fromVersion();

    /**
     * One resource of {@link #fromVersion()} as R5 JSON.
     *
     * @param json the resource, JSON of that version
     * @return the same resource as R5 JSON
     * @throws FhirException 400 naming the problem when {@code json} is not a resource of that version this converter
     *     accepts (strict: unknown elements are refused), or cannot be converted
     */
    String toR5(String json);
}
