package org.karyo.accesses.impl.internal;

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
import static org.karyo.accesses.api.AccessRights.MODULE;
import static org.karyo.accesses.api.AccessRights.READ_DATALABS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_OPPOSED_PATIENTS;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_UNLIMITED;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.api.security.RightDefinition.RightScope;

/**
 * The access module's own rights, Cohort360's sixteen (seed {@code accesses/data/new_rights.py}), and the sets its
 * access-management rules are built on.
 *
 * <p>Scopes follow Cohort360's {@code is_global} and {@code impact_inferior_levels}: users, datalabs, exports, IPP
 * search, opposed patients, unlimited search and full admin are GLOBAL; patient-data reads and the
 * {@code *_inferior_levels} management rights are INHERITED; the {@code *_same_level} ones are LOCAL. Cohort360 seeds
 * {@code read_datalabs depends_on manage_datalabs} with the meaning "ticked along with"; Karyo's {@code depends_on}
 * means "requires in the same role", so the pair is reversed (managing datalabs requires reading them), and the
 * access-management rights require {@code manage_users} (Cohort360's consistency rule, also as data).
 */
final class AccessRightDefinitions implements RightContributor {

    static final AccessRightDefinitions INSTANCE = new AccessRightDefinitions();

    /** Roles holding any of these are managed by full administrators only. */
    static final Set<String> FULL_ADMIN_MANAGED = Set.of(
            FULL_ADMIN,
            SEARCH_PATIENTS_UNLIMITED,
            MANAGE_ADMIN_ACCESSES_SAME_LEVEL,
            MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS);

    /** Roles holding any of these need admin-access management. */
    static final Set<String> ADMIN_MANAGED = Set.of(
            MANAGE_USERS,
            MANAGE_DATA_ACCESSES_SAME_LEVEL,
            MANAGE_DATA_ACCESSES_INFERIOR_LEVELS,
            MANAGE_DATALABS,
            READ_DATALABS);

    /** Roles holding any of these need data-access management (which admin-access management implies). */
    static final Set<String> DATA_MANAGED = Set.of(
            READ_PATIENT_NOMINATIVE,
            READ_PATIENT_PSEUDONYMIZED,
            SEARCH_PATIENTS_BY_IPP,
            SEARCH_OPPOSED_PATIENTS,
            EXPORT_CSV_XLSX_NOMINATIVE,
            EXPORT_JUPYTER_NOMINATIVE,
            EXPORT_JUPYTER_PSEUDONYMIZED);

    /** Cohort360's {@code allow_edit_accesses_on_same_level}. */
    static final Set<String> SAME_LEVEL = Set.of(MANAGE_ADMIN_ACCESSES_SAME_LEVEL, MANAGE_DATA_ACCESSES_SAME_LEVEL);

    /** Cohort360's {@code allow_edit_accesses_on_inf_levels}. */
    static final Set<String> INFERIOR_LEVELS =
            Set.of(MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS);

    /** The four access-management rights. */
    static final List<String> ACCESS_MANAGEMENT = List.of(
            MANAGE_ADMIN_ACCESSES_SAME_LEVEL,
            MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS,
            MANAGE_DATA_ACCESSES_SAME_LEVEL,
            MANAGE_DATA_ACCESSES_INFERIOR_LEVELS);

    /** Cohort360's {@code has_any_global_management_right}. */
    static final Set<String> GLOBAL_MANAGEMENT = Set.of(FULL_ADMIN, MANAGE_USERS, MANAGE_DATALABS);

    private static final List<RightDefinition> RIGHTS = List.of(
            global(FULL_ADMIN, "Administration", "Full administrator: every right everywhere"),
            global(MANAGE_USERS, "Users", "Manage users and profiles"),
            global(MANAGE_DATALABS, "Datalabs", "Manage datalabs").dependingOn(READ_DATALABS),
            global(READ_DATALABS, "Datalabs", "Read the list of datalabs"),
            global(
                    EXPORT_CSV_XLSX_NOMINATIVE,
                    "CSV-Excel exports",
                    "Export one's cohorts as nominative data in CSV/Excel format"),
            global(
                    EXPORT_JUPYTER_NOMINATIVE,
                    "Jupyter exports",
                    "Export one's cohorts as nominative data to a Jupyter environment"),
            global(
                    EXPORT_JUPYTER_PSEUDONYMIZED,
                    "Jupyter exports",
                    "Export one's cohorts as pseudonymised data to a Jupyter environment"),
            local(
                            MANAGE_ADMIN_ACCESSES_SAME_LEVEL,
                            "Administrator accesses management",
                            "Manage administrator accesses on a perimeter only")
                    .dependingOn(MANAGE_USERS),
            inherited(
                            MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS,
                            "Administrator accesses management",
                            "Manage administrator accesses on the sub-perimeters only")
                    .dependingOn(MANAGE_USERS),
            local(
                            MANAGE_DATA_ACCESSES_SAME_LEVEL,
                            "Data accesses management",
                            "Manage patient data accesses on a perimeter only")
                    .dependingOn(MANAGE_USERS),
            inherited(
                            MANAGE_DATA_ACCESSES_INFERIOR_LEVELS,
                            "Data accesses management",
                            "Manage patient data accesses on the sub-perimeters only")
                    .dependingOn(MANAGE_USERS),
            inherited(READ_PATIENT_NOMINATIVE, "Patient data read", "Read nominative patient data"),
            inherited(READ_PATIENT_PSEUDONYMIZED, "Patient data read", "Read pseudonymised patient data"),
            global(SEARCH_PATIENTS_BY_IPP, "Patient search", "Search patients by IPP"),
            global(SEARCH_PATIENTS_UNLIMITED, "Patient search", "Search patients without perimeter limit"),
            global(
                    SEARCH_OPPOSED_PATIENTS,
                    "Patient search",
                    "Search patients opposed to the use of their data for research"));

    private AccessRightDefinitions() {}

    private static RightDefinition global(String key, String category, String label) {
        return RightDefinition.global(key, MODULE, category, label);
    }

    private static RightDefinition inherited(String key, String category, String label) {
        return RightDefinition.inherited(key, MODULE, category, label);
    }

    private static RightDefinition local(String key, String category, String label) {
        return new RightDefinition(key, MODULE, category, label, RightScope.LOCAL, Optional.empty());
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return RIGHTS;
    }

    /** Cohort360's {@code allow_edit_accesses_on_same_level} of a right. */
    static boolean allowEditSameLevel(String key) {
        return SAME_LEVEL.contains(key);
    }

    /** Cohort360's {@code allow_edit_accesses_on_inf_levels} of a right. */
    static boolean allowEditInferiorLevels(String key) {
        return INFERIOR_LEVELS.contains(key);
    }

    /** Cohort360's {@code impact_inferior_levels}: every INHERITED right (for other modules too). */
    static boolean impactsInferiorLevels(RightDefinition right) {
        return right.scope() == RightScope.INHERITED;
    }
}
