package org.karyo.fhir.impl.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One stored version of a resource.
 *
 * @param patientKey the compartment's patient key (0: none)
 * @param resPk the resource's key
 * @param type its type
 * @param id its logical id
 * @param version the version
 * @param lastUpdated when it was written
 * @param deleted whether this version is a deletion
 * @param body the JSON (of the last state, for a deletion)
 * @param nominative whether the reader sees it nominatively
 */
record Row(
        long patientKey,
        long resPk,
        String type,
        String id,
        int version,
        Instant lastUpdated,
        boolean deleted,
        String body,
        boolean nominative) {

    /** The columns {@link #read} expects, on alias {@code r} of {@code resource} (or of a history row joined). */
    static String columns(String r) {
        return r + ".patient_key, " + r + ".res_pk, " + r + ".rtype, " + r + ".id, " + r + ".version, " + r
                + ".last_updated, " + r + ".deleted, " + r + ".body";
    }

    static Row read(ResultSet rs, boolean nominative) throws SQLException {
        return new Row(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getObject(6, java.time.OffsetDateTime.class).toInstant(),
                rs.getBoolean(7),
                rs.getString(8),
                nominative);
    }

    /** Reads the columns and a ninth: the nominative flag. */
    static Row readWithFlag(ResultSet rs) throws SQLException {
        return read(rs, rs.getBoolean(9));
    }

    String ref() {
        return type + "/" + id;
    }
}
