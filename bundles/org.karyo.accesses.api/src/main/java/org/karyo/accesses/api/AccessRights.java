package org.karyo.accesses.api;

import java.util.List;

/**
 * The access module's own rights: Cohort360's sixteen {@code right_*} role flags, as keys {@code accesses.<flag>}.
 * Role JSON renders each as a {@code right_<flag>} boolean.
 */
public final class AccessRights {
    private AccessRights() {}

    public static final String MODULE = "accesses";
    public static final String FULL_ADMIN = "accesses.full_admin";
    public static final String MANAGE_USERS = "accesses.manage_users";
    public static final String MANAGE_DATALABS = "accesses.manage_datalabs";
    public static final String READ_DATALABS = "accesses.read_datalabs";
    public static final String EXPORT_CSV_XLSX_NOMINATIVE = "accesses.export_csv_xlsx_nominative";
    public static final String EXPORT_JUPYTER_NOMINATIVE = "accesses.export_jupyter_nominative";
    public static final String EXPORT_JUPYTER_PSEUDONYMIZED = "accesses.export_jupyter_pseudonymized";
    public static final String MANAGE_ADMIN_ACCESSES_SAME_LEVEL = "accesses.manage_admin_accesses_same_level";
    public static final String MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS = "accesses.manage_admin_accesses_inferior_levels";
    public static final String MANAGE_DATA_ACCESSES_SAME_LEVEL = "accesses.manage_data_accesses_same_level";
    public static final String MANAGE_DATA_ACCESSES_INFERIOR_LEVELS = "accesses.manage_data_accesses_inferior_levels";
    public static final String READ_PATIENT_NOMINATIVE = "accesses.read_patient_nominative";
    public static final String READ_PATIENT_PSEUDONYMIZED = "accesses.read_patient_pseudonymized";
    public static final String SEARCH_PATIENTS_BY_IPP = "accesses.search_patients_by_ipp";
    public static final String SEARCH_PATIENTS_UNLIMITED = "accesses.search_patients_unlimited";
    public static final String SEARCH_OPPOSED_PATIENTS = "accesses.search_opposed_patients";

    /** The sixteen, in Cohort360's order. */
    public static final List<String> ALL = List.of(
            FULL_ADMIN,
            MANAGE_USERS,
            MANAGE_DATALABS,
            READ_DATALABS,
            EXPORT_CSV_XLSX_NOMINATIVE,
            EXPORT_JUPYTER_NOMINATIVE,
            EXPORT_JUPYTER_PSEUDONYMIZED,
            MANAGE_ADMIN_ACCESSES_SAME_LEVEL,
            MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS,
            MANAGE_DATA_ACCESSES_SAME_LEVEL,
            MANAGE_DATA_ACCESSES_INFERIOR_LEVELS,
            READ_PATIENT_NOMINATIVE,
            READ_PATIENT_PSEUDONYMIZED,
            SEARCH_PATIENTS_BY_IPP,
            SEARCH_PATIENTS_UNLIMITED,
            SEARCH_OPPOSED_PATIENTS);

    /** The role-JSON field of one of the sixteen: {@code accesses.full_admin} → {@code right_full_admin}. */
    public static String flag(String key) {
        return "right_" + key.substring(MODULE.length() + 1);
    }
}
