package org.karyo.fhir.api;

import java.util.function.Consumer;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Streams resources without loading them all (exports): every resource of a type, of a set of patients or of a
 * Group's members, visible to the caller, pseudonymised when its access says so, in a stable order.
 */
@ProviderType
public interface FhirCursor {

    /**
     * Streams the current versions of {@code type} ({@code null}: every type of the patients' compartments); limited
     * to the members of Group {@code groupId} when it is non-null. Returns how many resources were given.
     */
    long stream(Caller caller, String type, String groupId, Consumer<Resource> sink);
}
