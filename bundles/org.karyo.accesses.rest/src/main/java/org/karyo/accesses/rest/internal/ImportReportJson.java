package org.karyo.accesses.rest.internal;

import org.karyo.accesses.api.PerimeterService.ImportReport;

/**
 * What {@code POST /api/accesses/perimeters/import} did.
 *
 * @param created nodes added
 * @param updated existing nodes (by {@code local_id}) changed
 * @param unchanged existing nodes left as they were
 */
record ImportReportJson(int created, int updated, int unchanged) {

    static ImportReportJson of(ImportReport r) {
        return new ImportReportJson(r.created(), r.updated(), r.unchanged());
    }
}
