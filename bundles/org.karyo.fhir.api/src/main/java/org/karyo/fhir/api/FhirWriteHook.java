package org.karyo.fhir.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service that sees every resource a write stores, inside the write's unit of work (so what it writes
 * commits or rolls back with it), before the row is written: the exchange module's Open mHealth and consent checks.
 * Register it with the service property {@value #TYPES} listing the resource types it wants ({@code *} for all).
 */
@ConsumerType
public interface FhirWriteHook {

    /** The service property naming the resource types a hook sees. */
    String TYPES = "fhir.types";

    /**
     * Checks (and may complete) the resource; throws a {@link FhirException} (usually 422 with an OperationOutcome)
     * to refuse the whole write.
     */
    void beforeWrite(WriteEvent event);
}
