package org.karyo.fhir.impl.internal.store;

import java.util.ArrayList;
import java.util.List;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;

/**
 * What a caller may read of the store, from the platform's Cohort360 rights on the patients' perimeters: the
 * resources of the patients of its nominative or pseudonymised perimeters (every patient with a global right or
 * {@code accesses.search_patients_unlimited}), without NOLIST patients unless it may search opposed patients; a
 * resource of several patients only when it may see all of them; a resource of no patient only with {@code fhir.admin}
 * (which does not widen its patients) or as a full administrator (who sees everything).
 */
final class Access {
    static final String ADMIN = "fhir.admin";
    static final String WRITE = "fhir.write";
    private static final String S = Schema.NAME;

    private final Caller caller;
    private final Scope nominative;
    private final Scope pseudonymised;
    private final boolean admin;
    private final boolean fhirAdmin;
    private final boolean opposed;

    Access(Caller caller) {
        this.caller = caller;
        this.admin = caller.hasRight(AccessRights.FULL_ADMIN);
        this.fhirAdmin = admin || caller.hasRight(ADMIN);
        Scope nom = caller.scope(AccessRights.READ_PATIENT_NOMINATIVE);
        Scope pseudo = caller.scope(AccessRights.READ_PATIENT_PSEUDONYMIZED);
        if (admin) {
            nom = Scope.all();
        }
        if (caller.hasRight(AccessRights.SEARCH_PATIENTS_UNLIMITED) && !nom.isAll()) {
            pseudo = Scope.all();
        }
        this.nominative = nom;
        this.pseudonymised = pseudo;
        this.opposed = admin || caller.hasRight(AccessRights.SEARCH_OPPOSED_PATIENTS);
    }

    Caller caller() {
        return caller;
    }

    /** Whether it sees every resource (a full administrator). */
    boolean admin() {
        return admin;
    }

    /** Whether it administers the store (import, reindex, expunge; resources of no patient). */
    boolean fhirAdmin() {
        return fhirAdmin;
    }

    /** Whether the caller may read any patient data at all. */
    boolean readsAnything() {
        return admin || !nominative.isEmpty() || !pseudonymised.isEmpty();
    }

    /** Whether every resource it sees is nominative. */
    boolean allNominative() {
        return nominative.isAll();
    }

    /**
     * Whether some of what it reads is pseudonymised: a perimeter where it holds the pseudonymised read right but not
     * the nominative one. Its searches may then not go through what the de-identification profile removes.
     */
    boolean pseudonymisedSomewhere() {
        if (nominative.isAll() || pseudonymised.isEmpty()) {
            return false;
        }
        if (pseudonymised.isAll()) {
            return true;
        }
        for (long id : pseudonymised.perimeterIds()) {
            if (!nominative.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether it may search patients by identifier (Cohort360's IPP search). */
    boolean searchesByIdentifier() {
        return admin || caller.hasRight(AccessRights.SEARCH_PATIENTS_BY_IPP);
    }

    /**
     * The condition on alias {@code r} (a row of {@code resource}) that makes it visible; appends its parameters.
     */
    String visible(String r, List<Object> params) {
        StringBuilder sql = new StringBuilder();
        if (admin) {
            return "TRUE";
        }
        String patientless = fhirAdmin ? r + ".patient_key = 0 OR " : "";
        if (nominative.isAll() || pseudonymised.isAll()) {
            sql.append("(").append(r).append(".patient_key <> 0");
        } else {
            Long[] readable = readable();
            sql.append("(")
                    .append(patientless)
                    .append("(")
                    .append(inScope(r + ".patient_key", readable, params))
                    .append(" AND (")
                    .append(r)
                    .append(".patients IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(")
                    .append(r)
                    .append(".patients) AS x(k) WHERE NOT ")
                    .append(inScope("x.k", readable, params))
                    .append("))))");
            return opposed(r, sql);
        }
        if (fhirAdmin) {
            sql.append(" OR ").append(r).append(".patient_key = 0");
        }
        sql.append(")");
        return opposed(r, sql);
    }

    private String opposed(String r, StringBuilder sql) {
        if (!opposed) {
            sql.append(" AND ")
                    .append(r)
                    .append(".patient_key NOT IN (SELECT o.patient_key FROM ")
                    .append(S)
                    .append(".opposed_patient o)");
        }
        return sql.toString();
    }

    /**
     * Whether the patient {@code key} is in one of {@code perimeters}, through its organisations or its module links:
     * two index probes by patient key (the view {@code patient_scope} is a UNION ALL, and a semi-join through it scans
     * the whole patient relation for every row), whatever the size of the perimeters.
     */
    private static String inScope(String key, Long[] perimeters, List<Object> params) {
        params.add(perimeters);
        params.add(perimeters);
        // OFFSET 0 keeps the planner from hashing every patient of the perimeters instead of probing (it did, for a
        // read by id: 1.2 ms for 5,000 patients, growing with the perimeter, against 0.05 ms for one probe)
        return "(EXISTS (SELECT 1 FROM " + S + ".patient_organization po JOIN " + S + ".organization_perimeter op ON"
                + " op.organization_id = po.organization_id WHERE po.patient_key = " + key + " AND op.perimeter_id ="
                + " ANY(?) OFFSET 0) OR EXISTS (SELECT 1 FROM " + S + ".patient_perimeter pp WHERE pp.patient_key = "
                + key + " AND pp.perimeter_id = ANY(?) OFFSET 0))";
    }

    /** A select-list expression: whether the row {@code r} is nominative for the caller; appends its parameters. */
    String nominativeColumn(String r, List<Object> params) {
        if (nominative.isAll()) {
            return "TRUE";
        }
        if (nominative.isEmpty()) {
            return "FALSE";
        }
        return inScope(r + ".patient_key", nominative.boxedPerimeterIds(), params);
    }

    /**
     * The keys of every patient it may read, when they are at most {@code limit} (a reader of a few small perimeters),
     * or null: more of them, every patient (an unlimited reader), or resources of no patient it may also read (which
     * a condition on patient keys would leave out). A search without a patient condition is driven by these keys
     * through the index on (patient_key, rtype, res_pk), where checking visibility per candidate of a frequent code
     * in a large store reads many rows of other perimeters.
     */
    Long[] fewPatients(org.karyo.persistence.Sql sql, int limit) {
        if (admin || fhirAdmin || nominative.isAll() || pseudonymised.isAll() || !readsAnything()) {
            return null;
        }
        Long[] readable = readable();
        String key = java.util.Arrays.toString(readable);
        Long largeUntil = LARGE.get(key);
        if (largeUntil != null && largeUntil > System.nanoTime()) {
            return null;
        }
        List<Long> keys = sql.list(
                "SELECT DISTINCT patient_key FROM " + S + ".patient_scope WHERE perimeter_id = ANY(?) LIMIT "
                        + (limit + 1),
                rs -> rs.getLong(1),
                (Object) readable);
        if (keys.size() > limit) {
            // a population only grows slowly past the limit: skip the count for a minute (the answer stays right)
            if (LARGE.size() > 10_000) {
                LARGE.clear();
            }
            LARGE.put(key, System.nanoTime() + 60_000_000_000L);
            return null;
        }
        return keys.toArray(Long[]::new);
    }

    /** Perimeter sets found to hold more patients than the limit, until when (nanoTime). */
    private static final java.util.Map<String, Long> LARGE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every perimeter it reads patients in, nominative or not. */
    private Long[] readable() {
        List<Long> all = new ArrayList<>();
        for (Long id : nominative.boxedPerimeterIds()) {
            all.add(id);
        }
        for (Long id : pseudonymised.boxedPerimeterIds()) {
            all.add(id);
        }
        return all.toArray(Long[]::new);
    }
}
