package org.karyo.fhir.api;

/**
 * The rights the FHIR module contributes (module {@value #MODULE}), declared once here. Reading patient data uses the
 * platform's Cohort360 rights on the patients' perimeters; the module adds only these two global rights.
 */
public final class FhirRights {
    private FhirRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "fhir";

    /** Create, update, patch and delete FHIR resources (within what the caller may read). */
    public static final String WRITE = "fhir.write";

    /** Everything, and the store's administration: bulk import, reindex, erasure ({@code $expunge}). */
    public static final String ADMIN = "fhir.admin";
}
