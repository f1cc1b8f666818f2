package org.karyo.accesses.rest.internal;

import org.karyo.accesses.api.AccessService.ReadPermission;

/**
 * Cohort360's {@code perimeters/patient-data/read} answer.
 *
 * @param allowReadPatientDataNomi nominative reading is allowed on the targets (per the mode)
 * @param allowLookupOpposedPatients the caller may look up patients opposed to research use
 * @param allowReadPatientWithoutPerimeterLimit the caller may search patients without perimeter limit
 * @param allowReadPractitioner the caller may read practitioners (holds {@code accesses.manage_users})
 */
record ReadPermissionJson(
        boolean allowReadPatientDataNomi,
        boolean allowLookupOpposedPatients,
        boolean allowReadPatientWithoutPerimeterLimit,
        boolean allowReadPractitioner) {

    static ReadPermissionJson of(ReadPermission p) {
        return new ReadPermissionJson(
                p.allowReadPatientDataNomi(),
                p.allowLookupOpposedPatients(),
                p.allowReadPatientWithoutPerimeterLimit(),
                p.allowReadPractitioner());
    }
}
