package org.karyo.fhir.impl.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.hl7.fhir.r5.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.persistence.Sql;

/** Runs compiled searches: the page, its links, totals and includes. */
final class Searches {
    private static final String S = Schema.NAME;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many resources of its type a search with range conditions looks through in order first. */
    private static final int WALK = 2000;
    /**
     * The fewest candidates the planner must expect from the exact-match index (with the range buckets) for a search
     * with range conditions to walk its type first: below, the indexes find them at once.
     */
    private static final long WALK_MIN_CANDIDATES = 2000;

    /** Readers of at most this many patients have their searches driven by their patients' keys. */
    private static final int FEW_PATIENTS = 1000;

    private final Sql sql;

    Searches(Sql sql) {
        this.sql = sql;
    }

    /**
     * A page of a search: its searchset Bundle, whose entries of stored resources still hold their rows (no resource
     * yet), to be made into resources or written as JSON straight from the stored bodies.
     */
    static final class Page {
        private final Bundle bundle;
        private final Map<BundleEntryComponent, Row> rows = new IdentityHashMap<>();

        Page(Bundle bundle) {
            this.bundle = bundle;
        }

        Bundle bundle() {
            return bundle;
        }

        void add(String fullUrl, Row row, SearchEntryMode mode) {
            BundleEntryComponent e = bundle.addEntry().setFullUrl(fullUrl);
            e.getSearch().setMode(mode);
            rows.put(e, row);
        }

        /** The Bundle with each row made into its resource. */
        Bundle materialized(Function<Row, Resource> materialize) {
            rows.forEach((e, row) -> e.setResource(materialize.apply(row)));
            return bundle;
        }

        /**
         * The Bundle as JSON, each row's resource written by {@code json} into its entry as it is (the rest of the
         * Bundle written by the model's serialiser).
         */
        String json(Function<Row, String> json) {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(Bodies.write(bundle));
                JsonNode entries = root.get("entry");
                List<BundleEntryComponent> list = bundle.getEntry();
                for (int i = 0; i < list.size(); i++) {
                    Row row = rows.get(list.get(i));
                    if (row == null) {
                        continue;
                    }
                    ObjectNode old = (ObjectNode) entries.get(i);
                    ObjectNode entry = JSON.createObjectNode();
                    entry.set("fullUrl", old.get("fullUrl"));
                    entry.putRawValue("resource", new RawValue(json.apply(row)));
                    old.fields().forEachRemaining(f -> {
                        if (!f.getKey().equals("fullUrl")) {
                            entry.set(f.getKey(), f.getValue());
                        }
                    });
                    ((ArrayNode) entries).set(i, entry);
                }
                return JSON.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the search's Bundle did not read back as JSON", e);
            }
        }
    }

    /** The searchset page of {@code q} for the caller of {@code access}. */
    Page run(Access access, Query q, String base, String path, List<Map.Entry<String, String>> request) {
        long cap = q.cap;
        if (cap == Long.MAX_VALUE) {
            cap = sql.count("SELECT last_value FROM " + S + ".res_pk_seq");
        }
        List<Object> p = new ArrayList<>();
        String nominative = access.nominativeColumn("r", p);
        StringBuilder from = new StringBuilder(" FROM " + S + ".resource r WHERE NOT r.deleted");
        List<Object> wp = new ArrayList<>();
        if (q.type != null) {
            from.append(" AND r.rtype = ?");
            wp.add(q.type);
        } else if (!q.types.isEmpty()) {
            from.append(" AND r.rtype = ANY(?)");
            wp.add(q.types.toArray(String[]::new));
        }
        from.append(" AND ").append(q.whereSql());
        wp.addAll(q.params);
        from.append(" AND ").append(access.visible("r", wp));
        boolean driven = false;
        if (!q.patientBound()) {
            Long[] few = access.fewPatients(sql, FEW_PATIENTS);
            if (few != null) {
                driven = true;
                // the reader's few patients drive the search through (patient_key, rtype, res_pk)
                from.append(" AND r.patient_key = ANY(?)");
                wp.add(few);
            }
        }
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        Page page = new Page(bundle);
        if ("accurate".equals(q.total) || "estimate".equals(q.total) || "count".equals(q.summary)) {
            bundle.setTotal((int) sql.count("SELECT count(*)" + from, wp.toArray()));
        }
        if (!"count".equals(q.summary) && q.count > 0) {
            String keyset = " AND r.res_pk <= ?" + (q.sorted() ? "" : " AND r.res_pk > ?");
            List<Object> all = new ArrayList<>(p);
            all.addAll(wp);
            all.add(cap);
            if (!q.sorted()) {
                all.add(q.after);
            }
            all.addAll(q.orderParams);
            // with conditions, "+ 0" keeps the planner from walking the res_pk index in order and filtering every row:
            // it
            // finds the matches through the index of the conditions (GIN keys, patient key) and sorts only those
            String order = q.sorted()
                    ? String.join(", ", q.orderBy) + ", r.res_pk"
                    : q.where.isEmpty() ? "r.res_pk" : "r.res_pk + 0";
            List<Row> rows = q.sorted()
                            || q.offset > 0
                            || q.type == null
                            || driven
                            || !q.whereSql().contains(".rng[")
                    ? null
                    : walk(access, q, p, cap, nominative, from.toString(), wp);
            if (rows == null) {
                String stmt = "SELECT " + Row.columns("r") + ", " + nominative + from + keyset + " ORDER BY " + order
                        + " LIMIT " + (q.count + 1) + (q.offset > 0 ? " OFFSET " + q.offset : "");
                rows = sql.list(stmt, Row::readWithFlag, all.toArray());
            }
            boolean more = rows.size() > q.count;
            if (more) {
                rows = rows.subList(0, q.count);
            }
            for (Row row : rows) {
                page.add(base + "/" + row.ref(), row, SearchEntryMode.MATCH);
            }
            if (!rows.isEmpty() && (!q.includes.isEmpty() || !q.revincludes.isEmpty())) {
                includes(access, q, rows, page, base);
            }
            if (more) {
                String cursor = q.sorted()
                        ? "o" + (q.offset + q.count) + "." + cap
                        : rows.get(rows.size() - 1).resPk() + "." + cap;
                bundle.addLink().setRelation(Bundle.LinkRelationTypes.NEXT).setUrl(link(base, path, request, cursor));
            }
        }
        bundle.getLink()
                .add(
                        0,
                        new Bundle.BundleLinkComponent()
                                .setRelation(Bundle.LinkRelationTypes.SELF)
                                .setUrl(link(
                                        base, path, request, q.after > 0 || q.offset > 0 ? cursorOf(request) : null)));
        if (!q.ignored.isEmpty()) {
            OperationOutcome oo = new OperationOutcome();
            oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                    .setDiagnostics("Ignored unknown search parameters: " + String.join(", ", q.ignored));
            bundle.addEntry().setResource(oo).getSearch().setMode(SearchEntryMode.OUTCOME);
        }
        return page;
    }

    /**
     * A page of a search with range conditions, looked for by walking the resources of its type in order, in windows of
     * {@link #WALK} rows and then twice, four times as many: when matches are frequent the walk finds a page after a
     * short ordered index scan, where the plan through the exact-match index would fetch and check every resource of
     * its keys (a frequent code) for their ranges. The matches of the windows walked are the first of all, so a full page
     * from them, or every match when the walk reached the end of the type, is the answer; otherwise ({@code null}) the
     * search runs in full through the indexes.
     */
    private List<Row> walk(
            Access access,
            Query q,
            List<Object> selectParams,
            long cap,
            String nominative,
            String from,
            List<Object> fromParams) {
        String where = q.whereSql();
        if (estimatedCandidates(from, fromParams) < WALK_MIN_CANDIDATES) {
            // few candidates: the walk would read its windows for nothing, the indexes find them at once
            return null;
        }
        // the range conditions are checked row by row here: their bucket keys, a narrowing for the index, would only
        // cost (an overlap of two arrays per row)
        List<Object> whereParams = new ArrayList<>();
        where = withoutBuckets(where, q.params, whereParams);
        List<Row> found = new ArrayList<>();
        long after = q.after;
        for (int window = WALK; window <= 4 * WALK; window *= 2) {
            long end = sql.one(
                            "SELECT res_pk FROM " + S + ".resource WHERE rtype = ? AND res_pk > ? AND res_pk <= ?"
                                    + " ORDER BY rtype, res_pk OFFSET " + (window - 1) + " LIMIT 1",
                            rs -> rs.getLong(1),
                            q.type,
                            after,
                            cap)
                    .orElse(cap);
            List<Object> all = new ArrayList<>(selectParams);
            all.add(q.type);
            all.add(after);
            all.add(end);
            all.addAll(whereParams);
            String visible = access.visible("r", all);
            // the window is read in order through (rtype, res_pk) and filtered: OFFSET 0 keeps the planner from
            // intersecting it with the exact-match index of a frequent code (a bitmap of 150,000 rows, 34 ms)
            found.addAll(sql.list(
                    "SELECT " + Row.columns("r") + ", " + nominative + " FROM (SELECT * FROM " + S + ".resource WHERE"
                            + " rtype = ? AND res_pk > ? AND res_pk <= ? ORDER BY rtype, res_pk OFFSET 0) r WHERE NOT"
                            + " r.deleted AND " + where + " AND " + visible + " ORDER BY r.res_pk LIMIT "
                            + (q.count + 1 - found.size()),
                    Row::readWithFlag,
                    all.toArray()));
            if (found.size() > q.count || end == cap) {
                return found;
            }
            after = end;
        }
        return null;
    }

    /**
     * The planner's estimate of the candidates the exact-match index gives {@code SELECT 1 <from>}: the rows of its
     * scans of {@code resource_keys} (the fewest, when it intersects several), which the plan through the indexes reads
     * from the heap and sorts; {@link Long#MAX_VALUE} when the plan does not use that index, 0 when it uses another one
     * (the patient's, which finds few rows).
     */
    private long estimatedCandidates(String from, List<Object> params) {
        String plan = sql.one("EXPLAIN (FORMAT JSON) SELECT 1" + from, rs -> rs.getString(1), params.toArray())
                .orElse("[]");
        try {
            long[] found = {Long.MAX_VALUE, 0};
            scans(JSON.readTree(plan), found);
            return found[1] > 0 && found[0] == Long.MAX_VALUE ? 0 : found[0];
        } catch (JsonProcessingException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Walks a JSON plan: the fewest rows of a scan of resource_keys into found[0], other index scans counted in [1]. */
    private static void scans(JsonNode node, long[] found) {
        if (node.isArray()) {
            node.forEach(n -> scans(n, found));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode index = node.get("Index Name");
        if (index != null && "resource_keys".equals(index.asText())) {
            found[0] = Math.min(found[0], node.path("Plan Rows").asLong(Long.MAX_VALUE));
        } else if (index != null && index.asText().startsWith("resource_patient")) {
            found[1]++;
        }
        node.forEach(n -> scans(n, found));
    }

    /**
     * {@code where} without the bucket conditions on alias r; {@code kept} gets the parameters of the rest (all of
     * them, and {@code where} is returned as it is, should the question marks not match the parameters).
     */
    static String withoutBuckets(String where, List<Object> params, List<Object> kept) {
        String bucket = SearchCompiler.bucketCondition("r");
        StringBuilder out = new StringBuilder(where.length());
        int p = 0;
        int i = 0;
        while (i < where.length()) {
            if (where.startsWith(bucket, i)) {
                p++;
                i += bucket.length();
                continue;
            }
            char c = where.charAt(i);
            if (c == '?') {
                if (p == params.size()) {
                    break;
                }
                kept.add(params.get(p++));
            }
            out.append(c);
            i++;
        }
        if (p != params.size() || i < where.length()) {
            // a literal question mark somewhere: keep the conditions as they are (the buckets only narrow)
            kept.clear();
            kept.addAll(params);
            return where;
        }
        return out.toString();
    }

    private static String cursorOf(List<Map.Entry<String, String>> request) {
        for (Map.Entry<String, String> e : request) {
            if (e.getKey().equals("_cursor")) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The absolute link of a page: the request's parameters, without its cursor, plus {@code cursor}. */
    static String link(String base, String path, List<Map.Entry<String, String>> request, String cursor) {
        StringBuilder url = new StringBuilder(base).append(path);
        String sep = "?";
        for (Map.Entry<String, String> e : request) {
            if (e.getKey().equals("_cursor")) {
                continue;
            }
            url.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = "&";
        }
        if (cursor != null) {
            url.append(sep).append("_cursor=").append(cursor);
        }
        return url.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%7C", "|")
                .replace("%3A", ":")
                .replace("%2F", "/")
                .replace("%2C", ",");
    }

    /** {@code _include} and {@code _revinclude}: the referenced and referring resources the caller may see. */
    private void includes(Access access, Query q, List<Row> rows, Page page, String base) {
        Set<String> have = new java.util.HashSet<>();
        for (Row r : rows) {
            have.add(r.ref());
        }
        Map<String, Row> extra = new LinkedHashMap<>();
        for (String inc : q.includes) {
            String[] parts = inc.split(":");
            if (parts.length < 2) {
                throw org.karyo.fhir.api.FhirException.badRequest("_include", "_include is Type:parameter[:target]");
            }
            String prefix = parts[1].equals("*") ? "%:r=" : parts[1] + ":r=";
            List<Object> p = new ArrayList<>();
            String nominative = access.nominativeColumn("t", p);
            Long[] pks = rows.stream().map(Row::resPk).toArray(Long[]::new);
            p.add(pks);
            p.add(prefix);
            List<Object> vis = new ArrayList<>();
            String visible = access.visible("t", vis);
            p.addAll(vis);
            String target = parts.length > 2 ? " AND t.rtype = '" + parts[2].replaceAll("[^A-Za-z]", "") + "'" : "";
            List<Row> found = sql.list(
                    "SELECT " + Row.columns("t") + ", " + nominative + " FROM " + S + ".resource_id ri JOIN " + S
                            + ".resource t ON t.patient_key = ri.patient_key AND t.res_pk = ri.res_pk"
                            + " WHERE ri.rtype || '/' || ri.id IN (SELECT substr(k.v, strpos(k.v, ':r=') + 3) FROM "
                            + S + ".resource r, unnest(r.keys) AS k(v) WHERE r.res_pk = ANY(?) AND k.v LIKE ?)"
                            + " AND NOT t.deleted" + target + " AND " + visible + " LIMIT 10000",
                    Row::readWithFlag,
                    p.toArray());
            for (Row f : found) {
                if (!have.contains(f.ref())) {
                    extra.putIfAbsent(f.ref(), f);
                }
            }
        }
        for (String rev : q.revincludes) {
            String[] parts = rev.split(":");
            if (parts.length < 2) {
                throw org.karyo.fhir.api.FhirException.badRequest(
                        "_revinclude", "_revinclude is Type:parameter[:target]");
            }
            List<Object> p = new ArrayList<>();
            String nominative = access.nominativeColumn("t", p);
            List<String> keys = new ArrayList<>();
            for (Row r : rows) {
                keys.add(parts[1] + ":r=" + r.ref());
            }
            p.add(parts[0]);
            p.add(keys.toArray(String[]::new));
            List<Object> vis = new ArrayList<>();
            String visible = access.visible("t", vis);
            p.addAll(vis);
            List<Row> found = sql.list(
                    "SELECT " + Row.columns("t") + ", " + nominative + " FROM " + S + ".resource t WHERE t.rtype = ?"
                            + " AND t.keys && ? AND NOT t.deleted AND " + visible + " LIMIT 10000",
                    Row::readWithFlag,
                    p.toArray());
            for (Row f : found) {
                if (!have.contains(f.ref())) {
                    extra.putIfAbsent(f.ref(), f);
                }
            }
        }
        for (Row f : extra.values()) {
            page.add(base + "/" + f.ref(), f, SearchEntryMode.INCLUDE);
        }
    }
}
