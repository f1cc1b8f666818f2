package org.karyo.fhir.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The explicit links of patients to perimeter nodes that modules add (the exchange's patient–organisation links),
 * next to those the store derives from {@code Patient.managingOrganization} and the encounters' {@code serviceProvider}.
 * A change takes effect in the current unit of work.
 */
@ProviderType
public interface PatientPerimeters {

    /** Links Patient {@code patientId} to perimeter node {@code perimeterId} on behalf of {@code source}. */
    void link(String patientId, long perimeterId, String source);

    /** Removes such a link; whether it existed. */
    boolean unlink(String patientId, long perimeterId, String source);
}
