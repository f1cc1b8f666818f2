package org.karyo.fhir.impl.internal.deid;

import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.FhirException;

/**
 * A resource the de-identification profile cannot show pseudonymised: it carries a modifier extension the profile does
 * not know (removing it would change the resource's meaning, keeping it could leak). A 403; on a read the caller gets
 * it, in a search the store leaves the resource out of the page and says so in the Bundle's OperationOutcome.
 */
public final class RefusedResourceException extends FhirException {
    private static final long serialVersionUID = 1L;

    private final String extensionUrl;

    RefusedResourceException(Resource resource, String extensionUrl) {
        super(403, outcome(resource, extensionUrl));
        this.extensionUrl = extensionUrl;
    }

    /** The URL of the unknown modifier extension. */
    public String extensionUrl() {
        return extensionUrl;
    }

    private static org.hl7.fhir.r5.model.OperationOutcome outcome(Resource resource, String url) {
        String what = resource.fhirType()
                + (resource.hasIdElement() && resource.getIdElement().hasIdPart()
                        ? "/" + resource.getIdElement().getIdPart()
                        : "");
        return FhirException.of(
                        403,
                        IssueType.FORBIDDEN,
                        null,
                        what + " carries the modifier extension " + url
                                + ", unknown to the de-identification profile: it cannot be shown pseudonymised")
                .outcome();
    }
}
