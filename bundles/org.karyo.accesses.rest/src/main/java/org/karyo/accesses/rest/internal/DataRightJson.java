package org.karyo.accesses.rest.internal;

import org.karyo.accesses.api.AccessService.DataRight;

/**
 * The caller's patient-data rights on one perimeter ({@code my-data-rights}, {@code perimeters/patient-data/rights}),
 * with Cohort360's field names.
 *
 * @param perimeterId the node
 * @param perimeterName its name
 * @param rightReadPatientNominative nominative reading, held on the node or an ancestor
 * @param rightReadPatientPseudonymized pseudonymized reading, held on the node or an ancestor
 * @param rightSearchPatientsByIpp search by IPP (global)
 * @param rightReadOpposedPatientsData search patients opposed to research use (global;
 *     {@code accesses.search_opposed_patients})
 * @param rightExportCsvXlsxNominative nominative CSV/XLSX export (global)
 * @param rightExportJupyterNominative nominative Jupyter export (global)
 * @param rightExportJupyterPseudonymized pseudonymized Jupyter export (global)
 */
record DataRightJson(
        long perimeterId,
        String perimeterName,
        boolean rightReadPatientNominative,
        boolean rightReadPatientPseudonymized,
        boolean rightSearchPatientsByIpp,
        boolean rightReadOpposedPatientsData,
        boolean rightExportCsvXlsxNominative,
        boolean rightExportJupyterNominative,
        boolean rightExportJupyterPseudonymized) {

    static DataRightJson of(DataRight d) {
        return new DataRightJson(
                d.perimeterId(),
                d.perimeterName(),
                d.readPatientNominative(),
                d.readPatientPseudonymized(),
                d.searchPatientsByIpp(),
                d.searchOpposedPatients(),
                d.exportCsvXlsxNominative(),
                d.exportJupyterNominative(),
                d.exportJupyterPseudonymized());
    }
}
