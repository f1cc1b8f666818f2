package org.karyo.accesses.rest.internal;

import static org.karyo.accesses.api.AccessRights.EXPORT_CSV_XLSX_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.FULL_ADMIN;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATALABS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_DATALABS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_OPPOSED_PATIENTS;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_UNLIMITED;

import java.time.Instant;
import java.util.List;
import org.karyo.accesses.api.Role;

/**
 * A role: every right key it holds in {@code rights} (any module's), and Cohort360's sixteen flags as
 * {@code right_<flag>} booleans for Cohort360 clients.
 *
 * @param id the role's id
 * @param name its unique name
 * @param rights every right key it holds, sorted
 * @param rightFullAdmin holds {@code accesses.full_admin}
 * @param rightManageUsers holds {@code accesses.manage_users}
 * @param rightManageDatalabs holds {@code accesses.manage_datalabs}
 * @param rightReadDatalabs holds {@code accesses.read_datalabs}
 * @param rightExportCsvXlsxNominative holds {@code accesses.export_csv_xlsx_nominative}
 * @param rightExportJupyterNominative holds {@code accesses.export_jupyter_nominative}
 * @param rightExportJupyterPseudonymized holds {@code accesses.export_jupyter_pseudonymized}
 * @param rightManageAdminAccessesSameLevel holds {@code accesses.manage_admin_accesses_same_level}
 * @param rightManageAdminAccessesInferiorLevels holds {@code accesses.manage_admin_accesses_inferior_levels}
 * @param rightManageDataAccessesSameLevel holds {@code accesses.manage_data_accesses_same_level}
 * @param rightManageDataAccessesInferiorLevels holds {@code accesses.manage_data_accesses_inferior_levels}
 * @param rightReadPatientNominative holds {@code accesses.read_patient_nominative}
 * @param rightReadPatientPseudonymized holds {@code accesses.read_patient_pseudonymized}
 * @param rightSearchPatientsByIpp holds {@code accesses.search_patients_by_ipp}
 * @param rightSearchPatientsUnlimited holds {@code accesses.search_patients_unlimited}
 * @param rightSearchOpposedPatients holds {@code accesses.search_opposed_patients}
 * @param createdAt when it was created
 * @param updatedAt when it was changed last
 */
record RoleJson(
        long id,
        String name,
        List<String> rights,
        boolean rightFullAdmin,
        boolean rightManageUsers,
        boolean rightManageDatalabs,
        boolean rightReadDatalabs,
        boolean rightExportCsvXlsxNominative,
        boolean rightExportJupyterNominative,
        boolean rightExportJupyterPseudonymized,
        boolean rightManageAdminAccessesSameLevel,
        boolean rightManageAdminAccessesInferiorLevels,
        boolean rightManageDataAccessesSameLevel,
        boolean rightManageDataAccessesInferiorLevels,
        boolean rightReadPatientNominative,
        boolean rightReadPatientPseudonymized,
        boolean rightSearchPatientsByIpp,
        boolean rightSearchPatientsUnlimited,
        boolean rightSearchOpposedPatients,
        Instant createdAt,
        Instant updatedAt) {

    static RoleJson of(Role r) {
        return new RoleJson(
                r.id(),
                r.name(),
                List.copyOf(r.rights()),
                r.has(FULL_ADMIN),
                r.has(MANAGE_USERS),
                r.has(MANAGE_DATALABS),
                r.has(READ_DATALABS),
                r.has(EXPORT_CSV_XLSX_NOMINATIVE),
                r.has(EXPORT_JUPYTER_NOMINATIVE),
                r.has(EXPORT_JUPYTER_PSEUDONYMIZED),
                r.has(MANAGE_ADMIN_ACCESSES_SAME_LEVEL),
                r.has(MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS),
                r.has(MANAGE_DATA_ACCESSES_SAME_LEVEL),
                r.has(MANAGE_DATA_ACCESSES_INFERIOR_LEVELS),
                r.has(READ_PATIENT_NOMINATIVE),
                r.has(READ_PATIENT_PSEUDONYMIZED),
                r.has(SEARCH_PATIENTS_BY_IPP),
                r.has(SEARCH_PATIENTS_UNLIMITED),
                r.has(SEARCH_OPPOSED_PATIENTS),
                r.createdAt(),
                r.updatedAt());
    }
}
