package org.karyo.fhir.impl.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A compiled search: the conditions on alias {@code r} and what shapes the answer. */
final class Query {
    final String type;
    final List<String> where = new ArrayList<>();
    final List<Object> params = new ArrayList<>();
    /** ORDER BY expressions on {@code r} (the res_pk tie-break is added by the runner). */
    final List<String> orderBy = new ArrayList<>();

    final List<Object> orderParams = new ArrayList<>();
    /** The parameters that shape the answer, not the match, kept for the links. */
    final List<Map.Entry<String, String>> echo = new ArrayList<>();

    final List<String> includes = new ArrayList<>();
    final List<String> revincludes = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    int count;
    String total = "none";
    String summary;
    String elements;
    long after;
    long cap = Long.MAX_VALUE;
    int offset;
    List<String> types = List.of();

    Query(String type) {
        this.type = type;
    }

    String whereSql() {
        return where.isEmpty() ? "TRUE" : String.join(" AND ", where);
    }

    /** Whether a condition already names the patient (subject, patient, _id of a Patient…): no need to drive by patients. */
    boolean patientBound() {
        String w = whereSql();
        return w.contains(".patient_key =")
                || params.stream()
                        .anyMatch(p -> p instanceof String[] a
                                && a.length > 0
                                && (a[0].startsWith("subject:r=Patient/") || a[0].startsWith("patient:r=Patient/")));
    }

    boolean sorted() {
        return !orderBy.isEmpty();
    }
}
