package org.karyo.fhir.api;

import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Compiles a FHIR query string (Cohort360's {@code filterFhir}, §3 of its query format) into SQL over the store.
 * Patient keys are the store's, and {@link #patientIds(String...)} maps them back to Patient ids.
 */
@ProviderType
public interface FhirQueryCompiler {

    /** The resources of {@code type} matching {@code query}, visible to {@code caller}. */
    CompiledQuery resources(Caller caller, String type, String query);

    /** The keys of the patients owning a resource of {@code type} matching {@code query}, visible to the caller. */
    CompiledQuery patients(Caller caller, String type, String query);

    /** The SQL expression of the relation of patient keys to Patient ids: {@code SELECT patient_key, id FROM …}. */
    String patientTable();
}
