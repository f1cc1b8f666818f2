package org.karyo.fhir.impl.internal.store;

import java.sql.Array;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirWriteHook;
import org.karyo.fhir.api.Interaction;
import org.karyo.fhir.api.WriteEvent;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.fhir.impl.internal.index.IndexExtractor;
import org.karyo.fhir.impl.internal.index.ResourceIndex;
import org.karyo.persistence.Writes.Tx;

/**
 * Writes one resource version inside a unit of work: places the resource (its keys), keeps the previous version in the
 * history, extracts its search index, keeps the perimeter relation and Group members, and runs the write hooks.
 */
final class Writer {
    static final String NOLIST_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String NOLIST = "NOLIST";
    private static final String S = Schema.NAME;

    private final IndexExtractor extractor;
    private final Supplier<List<FhirWriteHook>> hooks;
    private final Organizations organizations;
    private final Clock clock;

    Writer(IndexExtractor extractor, Supplier<List<FhirWriteHook>> hooks, Organizations organizations, Clock clock) {
        this.extractor = extractor;
        this.hooks = hooks;
        this.organizations = organizations;
        this.clock = clock;
    }

    /** The time of a write, at the millisecond precision of {@code meta.lastUpdated}. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new opaque server-assigned id. */
    static String newId() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Creates or replaces {@code type/id}. */
    WriteOutcome put(
            Tx tx,
            Caller caller,
            Interaction interaction,
            String type,
            String id,
            Resource resource,
            String ifMatch,
            WriteBatch batch) {
        long[] loc = place(tx, type, id, batch);
        Optional<Current> cur = current(tx, loc);
        if (ifMatch != null
                && (cur.isEmpty() || cur.get().deleted || !ifMatch.equals(Integer.toString(cur.get().version)))) {
            throw FhirException.of(
                    412,
                    org.hl7.fhir.r5.model.OperationOutcome.IssueType.CONFLICT,
                    null,
                    "The resource " + type + "/" + id + " is not at version " + ifMatch);
        }
        int version = cur.map(c -> c.version + 1).orElse(1);
        Instant now = now();
        Bodies.stamp(resource, id, version, now);
        for (FhirWriteHook hook : hooks.get()) {
            hook.beforeWrite(new WriteEvent(caller, interaction, type, id, resource, batch.inImport));
        }
        ResourceIndex ix = extractor.extract(resource);
        long resPk = loc[1];
        long[] patients = patientKeys(tx, type, resPk, ix, batch);
        long patientKey = patients.length == 0 ? 0 : patients[0];
        checkReferences(tx, type + "/" + id, ix, batch);
        List<String> members = List.of();
        Resource stored = resource;
        if (resource instanceof Group g && g.hasMember()) {
            Group copy = g.copy();
            members = new ArrayList<>();
            for (Group.GroupMemberComponent m : g.getMember()) {
                if (m.getEntity().hasReference()) {
                    members.add(m.getEntity().getReference());
                }
            }
            copy.getMember().clear();
            stored = copy;
        }
        String body = Bodies.write(stored);
        Array keys = tx.sql().raw(c -> c.createArrayOf("text", ix.keys().toArray()));
        Array rng = tx.sql().raw(c -> c.createArrayOf("float8", box(ix.rng())));
        Array pats = patients.length > 1 ? tx.sql().raw(c -> c.createArrayOf("bigint", box(patients))) : null;
        java.sql.Timestamp at = java.sql.Timestamp.from(now);
        if (cur.isPresent()) {
            Current c = cur.get();
            tx.update(
                    "INSERT INTO " + S + ".resource_history (patient_key, res_pk, version, last_updated, deleted, body)"
                            + " SELECT patient_key, res_pk, version, last_updated, deleted, body FROM " + S
                            + ".resource WHERE patient_key = ? AND res_pk = ?",
                    c.patientKey,
                    resPk);
            if (c.patientKey == patientKey) {
                tx.update(
                        "UPDATE " + S + ".resource SET version = ?, last_updated = ?, deleted = false, patients = ?,"
                                + " body = ?, keys = ?, rng = ? WHERE patient_key = ? AND res_pk = ?",
                        version,
                        at,
                        pats,
                        body,
                        keys,
                        rng,
                        patientKey,
                        resPk);
            } else {
                tx.update("DELETE FROM " + S + ".resource WHERE patient_key = ? AND res_pk = ?", c.patientKey, resPk);
                insert(tx, patientKey, resPk, type, id, version, at, pats, body, keys, rng);
            }
        } else {
            insert(tx, patientKey, resPk, type, id, version, at, pats, body, keys, rng);
        }
        if (patientKey != loc[0]) {
            tx.update("UPDATE " + S + ".resource_id SET patient_key = ? WHERE res_pk = ?", patientKey, resPk);
        }
        batch.placed.put(type + "/" + id, new long[] {patientKey, resPk});
        maintain(
                tx,
                type,
                resource,
                cur.map(c -> c.patientKey).orElse(patientKey),
                patientKey,
                resPk,
                members,
                cur.isPresent());
        return new WriteOutcome(resource, type, id, version, now, cur.isEmpty() || cur.get().deleted);
    }

    /** Deletes {@code type/id} (a new, deleted version); a no-op for an unknown or deleted resource. */
    WriteOutcome delete(Tx tx, Caller caller, String type, String id, String ifMatch, WriteBatch batch) {
        Optional<long[]> loc = tx.sql()
                .one(
                        "SELECT patient_key, res_pk FROM " + S + ".resource_id WHERE rtype = ? AND id = ? FOR UPDATE",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                        type,
                        id);
        Optional<Current> cur = loc.flatMap(l -> current(tx, l));
        if (cur.isEmpty() || cur.get().deleted) {
            if (ifMatch != null) {
                throw FhirException.of(
                        412,
                        org.hl7.fhir.r5.model.OperationOutcome.IssueType.CONFLICT,
                        null,
                        "The resource " + type + "/" + id + " is not at version " + ifMatch);
            }
            return new WriteOutcome(
                    null, type, id, cur.map(c -> (long) c.version).orElse(0L), now(), false);
        }
        Current c = cur.get();
        if (ifMatch != null && !ifMatch.equals(Integer.toString(c.version))) {
            throw FhirException.of(
                    412,
                    org.hl7.fhir.r5.model.OperationOutcome.IssueType.CONFLICT,
                    null,
                    "The resource " + type + "/" + id + " is not at version " + ifMatch);
        }
        for (FhirWriteHook hook : hooks.get()) {
            hook.beforeWrite(new WriteEvent(caller, Interaction.DELETE, type, id, null, batch.inImport));
        }
        long resPk = loc.get()[1];
        int version = c.version + 1;
        Instant now = now();
        tx.update(
                "INSERT INTO " + S + ".resource_history (patient_key, res_pk, version, last_updated, deleted, body)"
                        + " SELECT patient_key, res_pk, version, last_updated, deleted, body FROM " + S
                        + ".resource WHERE patient_key = ? AND res_pk = ?",
                c.patientKey,
                resPk);
        tx.update(
                "UPDATE " + S + ".resource SET version = ?, last_updated = ?, deleted = true, keys = '{}', rng = '{}'"
                        + " WHERE patient_key = ? AND res_pk = ?",
                version,
                java.sql.Timestamp.from(now),
                c.patientKey,
                resPk);
        unmaintain(tx, type, id, c.patientKey, resPk);
        return new WriteOutcome(null, type, id, version, now, false);
    }

    /** Checks the references a deferred batch wrote: each must name a stored, not deleted resource. */
    void finish(Tx tx, WriteBatch batch) {
        if (!batch.deferred || batch.references.isEmpty()) {
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String ref : batch.references.keySet()) {
            int slash = ref.indexOf('/');
            types.add(ref.substring(0, slash));
            ids.add(ref.substring(slash + 1));
        }
        Array t = tx.sql().raw(c -> c.createArrayOf("text", types.toArray()));
        Array i = tx.sql().raw(c -> c.createArrayOf("text", ids.toArray()));
        List<String> missing = tx.sql()
                .list(
                        "SELECT x.t || '/' || x.i FROM unnest(?::text[], ?::text[]) AS x(t, i) WHERE NOT EXISTS"
                                + " (SELECT 1 FROM " + S + ".resource_id ri JOIN " + S
                                + ".resource r ON r.patient_key = ri.patient_key AND r.res_pk = ri.res_pk"
                                + " WHERE ri.rtype = x.t AND ri.id = x.i AND NOT r.deleted) LIMIT 100",
                        rs -> rs.getString(1),
                        t,
                        i);
        if (!missing.isEmpty()) {
            String ref = missing.get(0);
            throw FhirException.unprocessable(
                    batch.references.get(ref),
                    "The reference " + ref + " does not resolve to a resource of this server"
                            + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
        }
    }

    /** The keys of the unresolved references of a deferred batch (for an import's report). */
    List<String> unresolved(Tx tx, WriteBatch batch) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : batch.references.entrySet()) {
            int slash = e.getKey().indexOf('/');
            if (!exists(tx, e.getKey().substring(0, slash), e.getKey().substring(slash + 1))) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private void insert(
            Tx tx,
            long patientKey,
            long resPk,
            String type,
            String id,
            int version,
            java.sql.Timestamp at,
            Array pats,
            String body,
            Array keys,
            Array rng) {
        tx.update(
                "INSERT INTO " + S + ".resource (patient_key, res_pk, rtype, id, version, last_updated, deleted,"
                        + " patients, body, keys, rng) VALUES (?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?)",
                patientKey,
                resPk,
                type,
                id,
                version,
                at,
                pats,
                body,
                keys,
                rng);
    }

    /**
     * The resource's place (patient key, res_pk), locked for the rest of the unit of work: the existing one, a
     * reservation, or a new one (two concurrent creates of one id: the second waits and updates).
     */
    long[] place(Tx tx, String type, String id, WriteBatch batch) {
        String sel = "SELECT patient_key, res_pk FROM " + S + ".resource_id WHERE rtype = ? AND id = ? FOR UPDATE";
        Optional<long[]> found = tx.sql().one(sel, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, type, id);
        if (found.isPresent()) {
            return found.get();
        }
        long resPk = tx.sql().count("SELECT nextval('" + S + ".res_pk_seq')");
        long patientKey = "Patient".equals(type) ? resPk : 0;
        int n = tx.update(
                "INSERT INTO " + S + ".resource_id (rtype, id, patient_key, res_pk) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (rtype, id) DO NOTHING",
                type,
                id,
                patientKey,
                resPk);
        if (n == 1) {
            return new long[] {patientKey, resPk};
        }
        return tx.sql()
                .one(sel, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, type, id)
                .orElseThrow(() -> new IllegalStateException("resource_id row vanished"));
    }

    private Optional<Current> current(Tx tx, long[] loc) {
        return tx.sql()
                .one(
                        "SELECT version, deleted FROM " + S + ".resource WHERE patient_key = ? AND res_pk = ?",
                        rs -> new Current(loc[0], rs.getInt(1), rs.getBoolean(2)),
                        loc[0],
                        loc[1]);
    }

    /** The patient keys of the resource's patient compartment, sorted; its own for a Patient. */
    private long[] patientKeys(Tx tx, String type, long resPk, ResourceIndex ix, WriteBatch batch) {
        if ("Patient".equals(type)) {
            return new long[] {resPk};
        }
        TreeSet<Long> keys = new TreeSet<>();
        String subject = subjectPatient(ix);
        long first = 0;
        for (String ref : ix.patientRefs()) {
            if (!ref.startsWith("Patient/")) {
                continue;
            }
            long key;
            long[] placed = batch.placed.get(ref);
            String pid = ref.substring("Patient/".length());
            if (placed != null) {
                key = placed[1];
            } else {
                Optional<Long> k = tx.sql()
                        .one(
                                "SELECT res_pk FROM " + S + ".resource_id WHERE rtype = 'Patient' AND id = ?",
                                rs -> rs.getLong(1),
                                pid);
                if (k.isPresent()) {
                    key = k.get();
                } else if (batch.deferred) {
                    // a Patient the batch refers to before writing it (or never: then finish() names the reference)
                    key = place(tx, "Patient", pid, batch)[1];
                } else {
                    throw FhirException.unprocessable(
                            type, "The reference " + ref + " does not resolve to a resource of this server");
                }
            }
            keys.add(key);
            if (ref.equals(subject)) {
                first = key;
            }
        }
        if (first == 0) {
            return keys.stream().mapToLong(Long::longValue).toArray();
        }
        // the patient of subject (or patient) first: the row's patient key, which subject searches go through
        long[] out = new long[keys.size()];
        out[0] = first;
        int i = 1;
        for (long k : keys) {
            if (k != first) {
                out[i++] = k;
            }
        }
        return out;
    }

    /** The {@code Patient/id} the resource's {@code subject} (or {@code patient}) refers to, or {@code null}. */
    static String subjectPatient(ResourceIndex ix) {
        for (String prefix : new String[] {"subject:r=Patient/", "patient:r=Patient/"}) {
            for (String k : ix.keys()) {
                if (k.startsWith(prefix)) {
                    return k.substring(k.indexOf(":r=") + 3);
                }
            }
        }
        return null;
    }

    /** The search index of a resource about to be written. */
    ResourceIndex index(Resource resource) {
        return extractor.extract(resource);
    }

    IndexExtractor extractor() {
        return extractor;
    }

    void checkReferences(Tx tx, String from, ResourceIndex ix, WriteBatch batch) {
        for (String ref : ix.references()) {
            int slash = ref.indexOf('/');
            if (slash <= 0 || ref.equals(from)) {
                continue;
            }
            if (batch.deferred) {
                batch.references.putIfAbsent(ref, from.substring(0, from.indexOf('/')));
            } else if (!batch.placed.containsKey(ref)
                    && !exists(tx, ref.substring(0, slash), ref.substring(slash + 1))) {
                throw FhirException.unprocessable(
                        from.substring(0, from.indexOf('/')),
                        "The reference " + ref + " does not resolve to a resource of this server");
            }
        }
    }

    private static boolean exists(Tx tx, String type, String id) {
        return tx.sql()
                .one(
                        "SELECT 1 FROM " + S + ".resource_id ri JOIN " + S + ".resource r ON r.patient_key ="
                                + " ri.patient_key AND r.res_pk = ri.res_pk WHERE ri.rtype = ? AND ri.id = ?"
                                + " AND NOT r.deleted",
                        rs -> 1,
                        type,
                        id)
                .isPresent();
    }

    /** Keeps the perimeter relation, NOLIST flags and Group members in step with a written resource. */
    private void maintain(
            Tx tx,
            String type,
            Resource resource,
            long oldPatientKey,
            long patientKey,
            long resPk,
            List<String> members,
            boolean existed) {
        switch (type) {
            case "Patient" -> {
                Patient p = (Patient) resource;
                tx.update(
                        "DELETE FROM " + S + ".patient_organization WHERE patient_key = ? AND source = 'managing'",
                        patientKey);
                String org = localId(p.getManagingOrganization(), "Organization");
                if (org != null) {
                    tx.update(
                            "INSERT INTO " + S + ".patient_organization (patient_key, organization_id, source)"
                                    + " VALUES (?, ?, 'managing') ON CONFLICT DO NOTHING",
                            patientKey,
                            org);
                }
                boolean nolist = false;
                for (Coding c : p.getMeta().getSecurity()) {
                    nolist |= NOLIST_SYSTEM.equals(c.getSystem()) && NOLIST.equals(c.getCode());
                }
                if (nolist) {
                    tx.update(
                            "INSERT INTO " + S + ".opposed_patient (patient_key) VALUES (?) ON CONFLICT DO NOTHING",
                            patientKey);
                } else {
                    tx.update("DELETE FROM " + S + ".opposed_patient WHERE patient_key = ?", patientKey);
                }
            }
            case "Encounter" -> {
                Encounter e = (Encounter) resource;
                tx.update(
                        "DELETE FROM " + S + ".patient_organization WHERE patient_key IN (?, ?) AND source = ?",
                        oldPatientKey,
                        patientKey,
                        "encounter:" + resPk);
                String org = localId(e.getServiceProvider(), "Organization");
                if (org != null && patientKey != 0) {
                    tx.update(
                            "INSERT INTO " + S + ".patient_organization (patient_key, organization_id, source)"
                                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                            patientKey,
                            org,
                            "encounter:" + resPk);
                }
            }
            case "Organization" -> organizations.ensure(tx, (org.hl7.fhir.r5.model.Organization) resource);
            case "Group" -> {
                if (existed) {
                    tx.update("DELETE FROM " + S + ".group_member WHERE group_pk = ?", resPk);
                }
                for (String m : new TreeSet<>(members)) {
                    tx.update(
                            "INSERT INTO " + S + ".group_member (group_pk, member_ref) VALUES (?, ?)"
                                    + " ON CONFLICT DO NOTHING",
                            resPk,
                            m);
                }
            }
            default -> {
                // no derived state
            }
        }
    }

    private void unmaintain(Tx tx, String type, String id, long patientKey, long resPk) {
        switch (type) {
            case "Patient" -> {
                tx.update(
                        "DELETE FROM " + S + ".patient_organization WHERE patient_key = ? AND source = 'managing'",
                        patientKey);
                tx.update("DELETE FROM " + S + ".opposed_patient WHERE patient_key = ?", patientKey);
            }
            case "Encounter" -> tx.update(
                    "DELETE FROM " + S + ".patient_organization WHERE patient_key = ? AND source = ?",
                    patientKey,
                    "encounter:" + resPk);
            case "Group" -> tx.update("DELETE FROM " + S + ".group_member WHERE group_pk = ?", resPk);
            default -> {
                // no derived state
            }
        }
    }

    /** The id of a relative reference {@code Type/id} of the given type, or {@code null}. */
    static String localId(Reference ref, String type) {
        if (ref == null || !ref.hasReference()) {
            return null;
        }
        String r = ref.getReference();
        String prefix = type + "/";
        if (!r.startsWith(prefix)) {
            return null;
        }
        String id = r.substring(prefix.length());
        int hist = id.indexOf("/_history");
        return hist >= 0 ? id.substring(0, hist) : id;
    }

    /** Records the audit entry of a write interaction. */
    static void audit(Tx tx, Caller caller, String action, String type, String id, long version) {
        tx.audit(caller, AuditEvent.success(action, "fhir." + type, id).with("version", version));
    }

    private static Object[] box(double[] v) {
        Object[] out = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static Object[] box(long[] v) {
        Object[] out = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private record Current(long patientKey, int version, boolean deleted) {}
}
