package org.karyo.fhir.impl.internal.store;

/** The store's configured limits that other components of the module apply. */
public interface FhirStoreLimits {
    long maxBodyBytes();
}
