package org.karyo.fhir.impl.internal.store;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.fhir.api.FhirRights;
import org.osgi.service.component.annotations.Component;

/**
 * Registers the FHIR module's rights ({@link FhirRights}) while the module is installed. Reading patient data needs no
 * right of its own: it uses the platform's Cohort360 rights on the patients' perimeters.
 */
@Component(service = RightContributor.class)
public final class FhirRightsContributor implements RightContributor {

    @Override
    public String module() {
        return FhirRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(
                RightDefinition.global(
                        FhirRights.WRITE,
                        FhirRights.MODULE,
                        "Clinical data (FHIR)",
                        "Create, update, patch and delete FHIR resources of the patients one may read"),
                RightDefinition.global(
                        FhirRights.ADMIN,
                        FhirRights.MODULE,
                        "Clinical data (FHIR)",
                        "Administer the FHIR store: read every resource, bulk import, reindex, erase ($expunge)"));
    }
}
