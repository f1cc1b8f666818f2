package org.karyo.fhir.impl.internal.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r5.model.Resource;

/**
 * Stored bodies: the JSON of a resource as the store keeps it (what was written, with {@code id} and {@code meta}), read
 * back without the strict checks of client input, which it passed when it was written.
 */
public final class Bodies {
    static final FhirContext CTX = FhirContext.forR5Cached();

    private Bodies() {}

    /** The body of a resource, as the store writes it. */
    public static String write(Resource r) {
        return parser().encodeResourceToString(r);
    }

    static Resource read(String body) {
        return (Resource) parser().parseResource(body);
    }

    /** Sets the id, version and time of the version being written. */
    public static void stamp(Resource r, String id, int version, Instant at) {
        r.setId(id);
        r.getMeta().setVersionId(Integer.toString(version));
        r.getMeta().setLastUpdated(Date.from(at));
    }

    /** {@code meta.lastUpdated} as the store writes it for a write at {@code at}. */
    public static String time(Instant at) {
        org.hl7.fhir.r5.model.Meta m = new org.hl7.fhir.r5.model.Meta();
        m.setLastUpdated(Date.from(at));
        return m.getLastUpdatedElement().getValueAsString();
    }

    /** Refuses a type that is not an R5 resource type (404, as FHIR servers answer an unknown path). */
    static void checkType(String type) {
        if (!TYPES.contains(type)) {
            throw org.karyo.fhir.api.FhirException.of(
                    404,
                    org.hl7.fhir.r5.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    null,
                    "Unknown resource type " + type);
        }
    }

    /** Every R5 resource type. */
    static final java.util.Set<String> TYPES = java.util.Set.copyOf(CTX.getResourceTypes());

    private static IParser parser() {
        IParser p = CTX.newJsonParser();
        p.setPrettyPrint(false);
        p.setOmitResourceId(false);
        return p;
    }
}
