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

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karyo.api.Validator;
import org.karyo.api.json.Nullable;

/**
 * {@code POST} and {@code PATCH /api/accesses/roles}: a name, and the rights as a list of keys ({@code rights}), as
 * Cohort360's {@code right_<flag>} booleans, or both: the flags then apply on top of the list ({@code true} adds the
 * right, {@code false} removes it). On {@code PATCH}, flags without a list apply on top of the role's current rights,
 * and an absent field leaves it unchanged. A {@code right_*} field that is not one of the sixteen is refused.
 *
 * @param name the role's unique name
 * @param rights every right key the role holds (any module's), replacing the current set
 * @param rightFullAdmin {@code accesses.full_admin}
 * @param rightManageUsers {@code accesses.manage_users}
 * @param rightManageDatalabs {@code accesses.manage_datalabs}
 * @param rightReadDatalabs {@code accesses.read_datalabs}
 * @param rightExportCsvXlsxNominative {@code accesses.export_csv_xlsx_nominative}
 * @param rightExportJupyterNominative {@code accesses.export_jupyter_nominative}
 * @param rightExportJupyterPseudonymized {@code accesses.export_jupyter_pseudonymized}
 * @param rightManageAdminAccessesSameLevel {@code accesses.manage_admin_accesses_same_level}
 * @param rightManageAdminAccessesInferiorLevels {@code accesses.manage_admin_accesses_inferior_levels}
 * @param rightManageDataAccessesSameLevel {@code accesses.manage_data_accesses_same_level}
 * @param rightManageDataAccessesInferiorLevels {@code accesses.manage_data_accesses_inferior_levels}
 * @param rightReadPatientNominative {@code accesses.read_patient_nominative}
 * @param rightReadPatientPseudonymized {@code accesses.read_patient_pseudonymized}
 * @param rightSearchPatientsByIpp {@code accesses.search_patients_by_ipp}
 * @param rightSearchPatientsUnlimited {@code accesses.search_patients_unlimited}
 * @param rightSearchOpposedPatients {@code accesses.search_opposed_patients}
 */
record RoleBody(
        @Nullable String name,
        @Nullable List<String> rights,
        @Nullable Boolean rightFullAdmin,
        @Nullable Boolean rightManageUsers,
        @Nullable Boolean rightManageDatalabs,
        @Nullable Boolean rightReadDatalabs,
        @Nullable Boolean rightExportCsvXlsxNominative,
        @Nullable Boolean rightExportJupyterNominative,
        @Nullable Boolean rightExportJupyterPseudonymized,
        @Nullable Boolean rightManageAdminAccessesSameLevel,
        @Nullable Boolean rightManageAdminAccessesInferiorLevels,
        @Nullable Boolean rightManageDataAccessesSameLevel,
        @Nullable Boolean rightManageDataAccessesInferiorLevels,
        @Nullable Boolean rightReadPatientNominative,
        @Nullable Boolean rightReadPatientPseudonymized,
        @Nullable Boolean rightSearchPatientsByIpp,
        @Nullable Boolean rightSearchPatientsUnlimited,
        @Nullable Boolean rightSearchOpposedPatients) {

    /** The flags the body gives, by right key ({@code true}: add, {@code false}: remove). */
    Map<String, Boolean> flags() {
        Map<String, Boolean> f = new LinkedHashMap<>();
        put(f, FULL_ADMIN, rightFullAdmin);
        put(f, MANAGE_USERS, rightManageUsers);
        put(f, MANAGE_DATALABS, rightManageDatalabs);
        put(f, READ_DATALABS, rightReadDatalabs);
        put(f, EXPORT_CSV_XLSX_NOMINATIVE, rightExportCsvXlsxNominative);
        put(f, EXPORT_JUPYTER_NOMINATIVE, rightExportJupyterNominative);
        put(f, EXPORT_JUPYTER_PSEUDONYMIZED, rightExportJupyterPseudonymized);
        put(f, MANAGE_ADMIN_ACCESSES_SAME_LEVEL, rightManageAdminAccessesSameLevel);
        put(f, MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS, rightManageAdminAccessesInferiorLevels);
        put(f, MANAGE_DATA_ACCESSES_SAME_LEVEL, rightManageDataAccessesSameLevel);
        put(f, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS, rightManageDataAccessesInferiorLevels);
        put(f, READ_PATIENT_NOMINATIVE, rightReadPatientNominative);
        put(f, READ_PATIENT_PSEUDONYMIZED, rightReadPatientPseudonymized);
        put(f, SEARCH_PATIENTS_BY_IPP, rightSearchPatientsByIpp);
        put(f, SEARCH_PATIENTS_UNLIMITED, rightSearchPatientsUnlimited);
        put(f, SEARCH_OPPOSED_PATIENTS, rightSearchOpposedPatients);
        return f;
    }

    /** Whether the body says anything about rights. */
    boolean changesRights() {
        return rights != null || !flags().isEmpty();
    }

    /**
     * The rights the role ends up with: {@code rights} if given, else {@code current}, with the flags applied on top.
     * Null or blank entries of {@code rights} are reported on {@code rights[i]}.
     */
    Set<String> mergedRights(Set<String> current, Validator v) {
        Set<String> merged = new LinkedHashSet<>();
        if (rights != null) {
            for (int i = 0; i < rights.size(); i++) {
                String key = rights.get(i);
                if (key == null || key.isBlank()) {
                    v.check(false, "rights[" + i + "]", "must be a right key, such as accesses.manage_users");
                } else {
                    merged.add(key.strip());
                }
            }
        } else {
            merged.addAll(current);
        }
        flags().forEach((key, on) -> {
            if (on) {
                merged.add(key);
            } else {
                merged.remove(key);
            }
        });
        return merged;
    }

    private static void put(Map<String, Boolean> flags, String key, Boolean value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
