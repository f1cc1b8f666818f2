package org.karyo.fhir.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Validates FHIR R5 resources against the core specification's definitions and, when asked, a profile: the service of
 * the optional feature {@code karyo-fhir-validation} behind {@code $validate}. Nothing in the write path uses it; the
 * REST API answers {@code $validate} only while it is present.
 *
 * <p>The validator works offline: the core R5 definitions and code systems it carries, no terminology server. A code
 * from a code system it does not hold and a profile it does not know are warnings, not errors. It is built on first
 * use (tens of seconds, about 560 MB of heap) and then kept.
 *
 * <p>The resource comes as JSON text rather than a model object, so that the validator may embed its own copy of the
 * model and libraries without sharing classes with the store.
 */
@ProviderType
public interface FhirValidator {

    /**
     * Validates one resource.
     *
     * @param json the resource as R5 JSON; malformed JSON or an unknown resource type is reported as an issue
     * @param profile the canonical URL of a profile to validate against as well ({@code null}: the resource's own
     *     {@code meta.profile} and the core definitions)
     * @return every issue found, errors first; no issue of severity {@link ValidationIssue.Severity#ERROR} or
     *     {@link ValidationIssue.Severity#FATAL} means the resource is valid
     */
    List<ValidationIssue> validate(String json, String profile);
}
