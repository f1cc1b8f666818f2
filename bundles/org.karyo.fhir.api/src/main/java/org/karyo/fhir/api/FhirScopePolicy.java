package org.karyo.fhir.api;

import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Restricts what a caller may do on top of its rights, for example by the SMART scopes of its token
 * ({@code patient/Observation.rs}). Every registered policy is asked before every interaction.
 */
@ConsumerType
public interface FhirScopePolicy {

    /** Returns to allow; throws a 403 {@link FhirException} to refuse {@code interaction} on {@code type}. */
    void check(Caller caller, String type, Interaction interaction);
}
