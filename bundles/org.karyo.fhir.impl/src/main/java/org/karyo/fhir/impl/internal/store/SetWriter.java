package org.karyo.fhir.impl.internal.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.Interaction;
import org.karyo.fhir.api.WriteEvent;
import org.karyo.fhir.impl.internal.index.IndexExtractor;
import org.karyo.fhir.impl.internal.index.ResourceIndex;
import org.karyo.persistence.Writes.Tx;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The set-based write path (an import's batches, a transaction's creates and updates): writes a batch of resources in one unit of work with a few set-based statements instead
 * of several per resource, with the same rows as the store's own writer ({@code store.Writer.put}) writes for each:
 *
 * <ul>
 *   <li>the place of each resource in {@code resource_id} (looked up and locked for the batch in one statement; new
 *       places inserted in one), a Patient's patient key being its own {@code res_pk};
 *   <li>the patient keys of each resource's compartment from its Patient references (that of its {@code subject}, or
 *       {@code patient}, first: its {@code patient_key}; the others sorted; all of them in {@code patients} when there
 *       are several); a Patient referred to before it is stored gets its place reserved, as in a transaction or an
 *       import through the writer;
 *   <li>a resource that exists gets the next version: its current row moves to {@code resource_history};
 *   <li>the rows themselves go in with {@code COPY};
 *   <li>the derived state of Patients (managing organisation, NOLIST) and Encounters (service provider) in
 *       {@code patient_organization} and {@code opposed_patient}.
 * </ul>
 *
 * <p>Organizations and Groups, whose derived state needs more (perimeter nodes, members), go through the writer one by
 * one ({@link StoreInternals#importPut}); references are not checked here (the import checks them when it ends). The
 * write hooks see every resource, with its version and time, inside the unit of work, as they do in the writer; a hook
 * that refuses one refuses that line only.
 */
public final class SetWriter {
    public static final String S = Schema.NAME;

    private final StoreInternals store;
    private final IndexExtractor extractor;

    public SetWriter(StoreInternals store, IndexExtractor extractor) {
        this.store = store;
        this.extractor = extractor;
    }

    /** What the writer knows of a resource being written. */
    private static final class Slot {
        final Item e;
        long resPk;
        /** The patient key its place has ({@code -1} while it has none), and that of its current row. */
        long ridKey = -1;

        long oldPatientKey = -1;
        boolean placed;
        boolean hasRow;
        int version = 1;
        long patientKey;
        long[] patients = new long[0];

        Slot(Item e) {
            this.e = e;
        }
    }

    /**
     * A resource on its way to the store through the set-based path: its type, id, parsed resource and search index,
     * and what its source prepared ahead (the body and index columns in COPY's form, made on an import's parse threads).
     * A write hook's refusal is the source's to handle: an import refuses the line, a transaction fails whole.
     */
    public abstract static class Item {
        public String type;
        public String id;
        public Resource resource;
        public ResourceIndex index;
        /** The index's columns in COPY's text form, made ahead ({@code null}: made when written). */
        public String copyKeys;

        public String copyRng;

        public String key() {
            return type + "/" + id;
        }

        /**
         * Whether its id is one the server just made up (a create's UUID): it has no place yet, and none is looked for
         * (a place made meanwhile by another write is still found when the new places are inserted).
         */
        protected boolean fresh() {
            return false;
        }

        /** The interaction the write hooks see: an update of a resource that exists. */
        protected Interaction interaction(boolean exists) {
            return exists ? Interaction.UPDATE : Interaction.CREATE;
        }

        /** Whether the write is part of an import (whose references are checked when it ends). */
        protected abstract boolean inImport();

        /** A write hook refused it. */
        protected abstract void refuse(KaryoException e);

        protected abstract boolean refused();

        /**
         * Writes the body prepared ahead for this version and time, escaped for COPY; {@code false} when there is none
         * (the writer encodes the resource).
         */
        protected boolean writePreparedBody(StringBuilder sb, int version, String time) {
            return false;
        }

        /** Drops what was prepared of the body (a write hook changed the resource, or the version changed). */
        protected void forgetBody() {}

        /** It was written as {@code version} ({@code created}: as a new resource). */
        protected void written(int version, boolean created) {}
    }

    /**
     * Writes {@code entries} (distinct resources, none of them an Organization or a Group) in {@code tx}; returns how
     * many were stored. A line a write hook refuses gets its refusal and is not stored.
     */
    public int write(Tx tx, Caller caller, List<? extends Item> entries, Instant now) {
        if (entries.isEmpty()) {
            return 0;
        }
        String time = Bodies.time(now);
        Map<String, Slot> slots = new LinkedHashMap<>();
        for (Item e : entries) {
            slots.put(e.key(), new Slot(e));
        }
        // 1. the places that exist, locked for the unit of work
        lockPlaces(tx, slots);
        // 2. the current rows of those places: their versions
        List<Long> known = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.placed) {
                known.add(s.resPk);
            }
        }
        Map<Long, long[]> current = new HashMap<>();
        if (!known.isEmpty()) {
            tx.sql()
                    .list(
                            "SELECT res_pk, patient_key, version FROM " + S + ".resource WHERE res_pk = ANY(?)",
                            rs -> current.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getInt(3)}),
                            (Object) known.toArray(Long[]::new));
        }
        for (Slot s : slots.values()) {
            long[] c = s.placed ? current.get(s.resPk) : null;
            if (c != null) {
                s.hasRow = true;
                s.oldPatientKey = c[0];
                s.version = (int) c[1] + 1;
            }
        }
        // 3. the write hooks, with the version and time stamped as the writer does
        for (Slot s : slots.values()) {
            Item e = s.e;
            Bodies.stamp(e.resource, e.id, s.version, now);
            boolean seen;
            try {
                seen = store.runWriteHooks(
                        new WriteEvent(caller, e.interaction(s.hasRow), e.type, e.id, e.resource, e.inImport()));
            } catch (KaryoException x) {
                e.refuse(x);
                continue;
            }
            if (seen) {
                // a hook may complete the resource: its index and body are made again from what it left
                e.index = extractor.extract(e.resource);
                e.forgetBody();
                e.copyKeys = null;
                e.copyRng = null;
            }
        }
        slots.values().removeIf(s -> s.e.refused());
        if (slots.isEmpty()) {
            return 0;
        }
        // 4. the Patients' places: those of the batch, and those referred to (reserved when unknown)
        Map<String, Long> patientPks = patientPlaces(tx, slots);
        // 5. each resource's compartment
        for (Slot s : slots.values()) {
            if (s.e.type.equals("Patient")) {
                s.patientKey = s.resPk;
                s.patients = new long[] {s.resPk};
                continue;
            }
            TreeSet<Long> keys = new TreeSet<>();
            for (String ref : s.e.index.patientRefs()) {
                if (ref.startsWith("Patient/")) {
                    keys.add(patientPks.get(ref.substring("Patient/".length())));
                }
            }
            // the patient of subject (or patient) first, as the writer orders them: the row's patient key
            String subject = Writer.subjectPatient(s.e.index);
            long first = subject == null ? 0 : patientPks.getOrDefault(subject.substring("Patient/".length()), 0L);
            boolean lead = first != 0 && keys.contains(first);
            s.patients = new long[keys.size()];
            int i = 0;
            if (lead) {
                s.patients[i++] = first;
            }
            for (long k : keys) {
                if (!lead || k != first) {
                    s.patients[i++] = k;
                }
            }
            s.patientKey = s.patients.length == 0 ? 0 : s.patients[0];
        }
        // 6. the new places of the other resources, with their patient keys
        newPlaces(tx, slots);
        // 7. the places whose patient key changed
        List<Long> movedPk = new ArrayList<>();
        List<Long> movedKey = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.ridKey >= 0 && s.ridKey != s.patientKey) {
                movedPk.add(s.resPk);
                movedKey.add(s.patientKey);
            }
        }
        if (!movedPk.isEmpty()) {
            tx.update(
                    "UPDATE " + S + ".resource_id ri SET patient_key = x.k FROM unnest(?::bigint[], ?::bigint[])"
                            + " AS x(p, k) WHERE ri.res_pk = x.p",
                    movedPk.toArray(Long[]::new),
                    movedKey.toArray(Long[]::new));
        }
        // 8. the versions they replace go to the history
        List<Long> replaced = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.hasRow) {
                replaced.add(s.resPk);
            }
        }
        if (!replaced.isEmpty()) {
            Long[] pks = replaced.toArray(Long[]::new);
            tx.update(
                    "INSERT INTO " + S + ".resource_history (patient_key, res_pk, version, last_updated, deleted, body)"
                            + " SELECT patient_key, res_pk, version, last_updated, deleted, body FROM " + S
                            + ".resource WHERE res_pk = ANY(?)",
                    (Object) pks);
            tx.update("DELETE FROM " + S + ".resource WHERE res_pk = ANY(?)", (Object) pks);
        }
        // 9. the rows
        copyRows(tx, slots.values(), now, time);
        // 10. what the store derives from Patients and Encounters
        maintain(tx, slots.values());
        return slots.size();
    }

    private static void lockPlaces(Tx tx, Map<String, Slot> slots) {
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (!s.e.fresh()) {
                types.add(s.e.type);
                ids.add(s.e.id);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        tx.sql()
                .list(
                        "SELECT ri.rtype, ri.id, ri.patient_key, ri.res_pk FROM " + S + ".resource_id ri JOIN"
                                + " unnest(?::text[], ?::text[]) AS x(t, i) ON ri.rtype = x.t AND ri.id = x.i"
                                + " ORDER BY ri.res_pk FOR UPDATE OF ri",
                        rs -> {
                            Slot s = slots.get(rs.getString(1) + "/" + rs.getString(2));
                            s.placed = true;
                            s.ridKey = rs.getLong(3);
                            s.oldPatientKey = s.ridKey;
                            s.resPk = rs.getLong(4);
                            return s;
                        },
                        types.toArray(String[]::new),
                        ids.toArray(String[]::new));
    }

    /** The res_pk of every Patient the batch writes or refers to, placing (or reserving) the unknown ones. */
    private static Map<String, Long> patientPlaces(Tx tx, Map<String, Slot> slots) {
        Map<String, Long> pks = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        List<Slot> newPatients = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.e.type.equals("Patient")) {
                if (s.placed) {
                    pks.put(s.e.id, s.resPk);
                } else {
                    newPatients.add(s);
                    wanted.add(s.e.id);
                }
            }
        }
        for (Slot s : slots.values()) {
            if (!s.e.type.equals("Patient")) {
                for (String ref : s.e.index.patientRefs()) {
                    if (ref.startsWith("Patient/")) {
                        String pid = ref.substring("Patient/".length());
                        if (!pks.containsKey(pid)) {
                            wanted.add(pid);
                        }
                    }
                }
            }
        }
        if (wanted.isEmpty()) {
            return pks;
        }
        // the referred Patients that exist (a batch's new Patient cannot: it was looked up with the batch)
        List<String> refs = new ArrayList<>();
        for (String pid : wanted) {
            refs.add(pid);
        }
        tx.sql()
                .list(
                        "SELECT id, res_pk FROM " + S + ".resource_id WHERE rtype = 'Patient' AND id = ANY(?)",
                        rs -> pks.put(rs.getString(1), rs.getLong(2)),
                        (Object) refs.toArray(String[]::new));
        List<String> missing = new ArrayList<>();
        for (String pid : wanted) {
            if (!pks.containsKey(pid)) {
                missing.add(pid);
            }
        }
        Set<String> raced = missing.isEmpty() ? Set.of() : insertPlaces(tx, "Patient", missing, null, pks);
        for (Slot s : newPatients) {
            s.resPk = pks.get(s.e.id);
            s.patientKey = s.resPk;
            s.placed = true;
            if (raced.contains(s.e.id)) {
                lockRaced(tx, s);
            }
        }
        return pks;
    }

    /** Places the batch's new non-Patient resources, with their patient keys. */
    private static void newPlaces(Tx tx, Map<String, Slot> slots) {
        Map<String, List<Slot>> byType = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            if (!s.placed) {
                byType.computeIfAbsent(s.e.type, t -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<Slot>> t : byType.entrySet()) {
            List<String> ids = new ArrayList<>();
            Map<String, Long> keys = new HashMap<>();
            for (Slot s : t.getValue()) {
                ids.add(s.e.id);
                keys.put(s.e.id, s.patientKey);
            }
            Map<String, Long> pks = new HashMap<>();
            Set<String> raced = insertPlaces(tx, t.getKey(), ids, keys, pks);
            for (Slot s : t.getValue()) {
                s.resPk = pks.get(s.e.id);
                s.placed = true;
                if (raced.contains(s.e.id)) {
                    // placed by a concurrent write between our look-up and our insert: it now holds a row, maybe
                    lockRaced(tx, s);
                }
            }
        }
    }

    /**
     * Inserts places for {@code ids} of {@code type} (patient keys from {@code keys}, or the res_pk itself for
     * Patients), adding every id's res_pk to {@code pks}; returns the ids a concurrent write placed first.
     */
    private static Set<String> insertPlaces(
            Tx tx, String type, List<String> ids, Map<String, Long> keys, Map<String, Long> pks) {
        List<Long> fresh = tx.sql()
                .list(
                        "SELECT nextval('" + S + ".res_pk_seq') FROM generate_series(1, ?)",
                        rs -> rs.getLong(1),
                        ids.size());
        Long[] resPks = fresh.toArray(Long[]::new);
        Long[] patientKeys = new Long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            patientKeys[i] = keys == null ? resPks[i] : keys.get(ids.get(i));
        }
        Set<String> inserted = new java.util.HashSet<>(tx.sql()
                .list(
                        "INSERT INTO " + S + ".resource_id (rtype, id, patient_key, res_pk) SELECT ?, x.i, x.k,"
                                + " x.p FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS x(i, k, p)"
                                + " ON CONFLICT (rtype, id) DO NOTHING RETURNING id",
                        rs -> rs.getString(1),
                        type,
                        ids.toArray(String[]::new),
                        patientKeys,
                        resPks));
        Set<String> raced = new java.util.HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (inserted.contains(ids.get(i))) {
                pks.put(ids.get(i), resPks[i]);
            } else {
                raced.add(ids.get(i));
            }
        }
        if (!raced.isEmpty()) {
            tx.sql()
                    .list(
                            "SELECT id, res_pk FROM " + S + ".resource_id WHERE rtype = ? AND id = ANY(?) FOR UPDATE",
                            rs -> pks.put(rs.getString(1), rs.getLong(2)),
                            type,
                            raced.toArray(String[]::new));
        }
        return raced;
    }

    /** A place another write made while this batch ran: its current row, if it has one, is replaced. */
    private static void lockRaced(Tx tx, Slot s) {
        tx.sql()
                .list(
                        "SELECT patient_key, version FROM " + S + ".resource WHERE res_pk = ?",
                        rs -> {
                            s.hasRow = true;
                            s.oldPatientKey = rs.getLong(1);
                            s.version = rs.getInt(2) + 1;
                            return s;
                        },
                        s.resPk);
        if (s.hasRow) {
            // its body and time were stamped with version 1: stamp them again with the real one
            s.e.forgetBody();
        }
        // the place's patient key is checked with the others (step 7)
        s.ridKey = tx.sql()
                .one("SELECT patient_key FROM " + S + ".resource_id WHERE res_pk = ?", rs -> rs.getLong(1), s.resPk)
                .orElse(-1L);
    }

    private static void copyRows(Tx tx, Iterable<Slot> slots, Instant now, String time) {
        StringBuilder sb = new StringBuilder(1 << 20);
        String at = now.toString();
        for (Slot s : slots) {
            Item e = s.e;
            sb.append(s.patientKey).append('\t').append(s.resPk).append('\t');
            copyText(sb, e.type);
            sb.append('\t');
            copyText(sb, e.id);
            sb.append('\t').append(s.version).append('\t').append(at).append("\tf\t");
            if (s.patients.length > 1) {
                sb.append('{');
                for (int i = 0; i < s.patients.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(s.patients[i]);
                }
                sb.append('}');
            } else {
                sb.append("\\N");
            }
            sb.append('\t');
            if (!e.writePreparedBody(sb, s.version, time)) {
                Bodies.stamp(e.resource, e.id, s.version, now);
                copyText(sb, Bodies.write(e.resource));
            }
            s.e.written(s.version, !s.hasRow);
            sb.append('\t').append(e.copyKeys != null ? e.copyKeys : copyKeys(e.index));
            sb.append('\t')
                    .append(e.copyRng != null ? e.copyRng : floatArray(e.index.rng()))
                    .append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        // raw JDBC: COPY of the batch's rows, on the unit of work's connection
        tx.sql().raw(c -> {
            CopyIn in = c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + S + ".resource (patient_key, res_pk, rtype, id, version, last_updated,"
                            + " deleted, patients, body, keys, rng) FROM STDIN");
            try {
                in.writeToCopy(bytes, 0, bytes.length);
                return in.endCopy();
            } catch (SQLException e) {
                if (in.isActive()) {
                    in.cancelCopy();
                }
                throw e;
            }
        });
    }

    /** Keeps the perimeter relation and NOLIST flags in step with the batch's Patients and Encounters. */
    private static void maintain(Tx tx, Iterable<Slot> slots) {
        List<Long> oldPatients = new ArrayList<>();
        List<Long> managedKeys = new ArrayList<>();
        List<String> managedOrgs = new ArrayList<>();
        List<Long> nolist = new ArrayList<>();
        List<Long> listed = new ArrayList<>();
        List<Long> oldEncKeys = new ArrayList<>();
        List<String> oldEncSources = new ArrayList<>();
        List<Long> encKeys = new ArrayList<>();
        List<String> encOrgs = new ArrayList<>();
        List<String> encSources = new ArrayList<>();
        for (Slot s : slots) {
            switch (s.e.type) {
                case "Patient" -> {
                    Patient p = (Patient) s.e.resource;
                    if (s.hasRow) {
                        oldPatients.add(s.patientKey);
                    }
                    String org = Writer.localId(p.getManagingOrganization(), "Organization");
                    if (org != null) {
                        managedKeys.add(s.patientKey);
                        managedOrgs.add(org);
                    }
                    boolean opposed = false;
                    for (Coding c : p.getMeta().getSecurity()) {
                        opposed |= Writer.NOLIST_SYSTEM.equals(c.getSystem()) && Writer.NOLIST.equals(c.getCode());
                    }
                    if (opposed) {
                        nolist.add(s.patientKey);
                    } else if (s.hasRow) {
                        listed.add(s.patientKey);
                    }
                }
                case "Encounter" -> {
                    Encounter enc = (Encounter) s.e.resource;
                    String source = "encounter:" + s.resPk;
                    if (s.hasRow) {
                        oldEncKeys.add(s.oldPatientKey);
                        oldEncSources.add(source);
                        oldEncKeys.add(s.patientKey);
                        oldEncSources.add(source);
                    }
                    String org = Writer.localId(enc.getServiceProvider(), "Organization");
                    if (org != null && s.patientKey != 0) {
                        encKeys.add(s.patientKey);
                        encOrgs.add(org);
                        encSources.add(source);
                    }
                }
                default -> {
                    // no derived state
                }
            }
        }
        if (!oldPatients.isEmpty()) {
            tx.update(
                    "DELETE FROM " + S + ".patient_organization WHERE patient_key = ANY(?) AND source = 'managing'",
                    (Object) oldPatients.toArray(Long[]::new));
        }
        if (!managedKeys.isEmpty()) {
            tx.update(
                    "INSERT INTO " + S + ".patient_organization (patient_key, organization_id, source) SELECT x.k,"
                            + " x.o, 'managing' FROM unnest(?::bigint[], ?::text[]) AS x(k, o) ON CONFLICT DO NOTHING",
                    managedKeys.toArray(Long[]::new),
                    managedOrgs.toArray(String[]::new));
        }
        if (!nolist.isEmpty()) {
            tx.update(
                    "INSERT INTO " + S + ".opposed_patient (patient_key) SELECT unnest(?::bigint[]) ON CONFLICT DO"
                            + " NOTHING",
                    (Object) nolist.toArray(Long[]::new));
        }
        if (!listed.isEmpty()) {
            tx.update("DELETE FROM " + S + ".opposed_patient WHERE patient_key = ANY(?)", (Object)
                    listed.toArray(Long[]::new));
        }
        if (!oldEncKeys.isEmpty()) {
            tx.update(
                    "DELETE FROM " + S + ".patient_organization po USING unnest(?::bigint[], ?::text[]) AS x(k, s)"
                            + " WHERE po.patient_key = x.k AND po.source = x.s",
                    oldEncKeys.toArray(Long[]::new),
                    oldEncSources.toArray(String[]::new));
        }
        if (!encKeys.isEmpty()) {
            tx.update(
                    "INSERT INTO " + S + ".patient_organization (patient_key, organization_id, source) SELECT x.k,"
                            + " x.o, x.s FROM unnest(?::bigint[], ?::text[], ?::text[]) AS x(k, o, s)"
                            + " ON CONFLICT DO NOTHING",
                    encKeys.toArray(Long[]::new),
                    encOrgs.toArray(String[]::new),
                    encSources.toArray(String[]::new));
        }
    }

    /** A text value escaped for COPY's text format. */
    public static void copyText(StringBuilder sb, String s) {
        boolean special = false;
        for (int i = 0; i < s.length() && !special; i++) {
            char c = s.charAt(i);
            special = c == '\\' || c < ' ';
        }
        if (!special) {
            sb.append(s);
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
    }

    /** Whether {@code s} holds nothing that COPY's text format or an array literal escapes. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"' || c < ' ') {
                return false;
            }
        }
        return true;
    }

    /** The keys column in COPY's text form: the array literal, escaped (in one pass, most keys copied whole). */
    public static String copyKeys(ResourceIndex index) {
        List<String> keys = index.keys();
        StringBuilder sb = new StringBuilder(keys.size() * 32 + 2).append('{');
        boolean first = true;
        for (String k : keys) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"');
            if (plain(k)) {
                sb.append(k);
            } else {
                StringBuilder element = new StringBuilder(k.length() + 8);
                for (int i = 0; i < k.length(); i++) {
                    char c = k.charAt(i);
                    if (c == '"' || c == '\\') {
                        element.append('\\');
                    }
                    element.append(c);
                }
                copyText(sb, element.toString());
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** A PostgreSQL array literal of texts. */
    public static String textArray(List<String> values) {
        StringBuilder sb = new StringBuilder(values.size() * 32 + 2).append('{');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"');
            if (v.indexOf('"') < 0 && v.indexOf('\\') < 0) {
                sb.append(v);
            } else {
                for (int j = 0; j < v.length(); j++) {
                    char c = v.charAt(j);
                    if (c == '"' || c == '\\') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** A PostgreSQL array literal of doubles (exact: the shortest text that reads back the same double). */
    public static String floatArray(double[] values) {
        StringBuilder sb = new StringBuilder(values.length * 20 + 2).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Double.toString(values[i]));
        }
        return sb.append('}').toString();
    }
}
