package org.karyo.fhir.impl.internal.bulk;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.impl.internal.index.IndexExtractor;
import org.karyo.fhir.impl.internal.index.ResourceIndex;
import org.karyo.fhir.impl.internal.store.Indexing;
import org.karyo.fhir.impl.internal.store.SetWriter;
import org.karyo.fhir.impl.internal.store.StoreInternals;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobHandler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reindex jobs ({@value FhirMaintenance#REINDEX_JOB_TYPE}): extracts the search index ({@code keys},
 * {@code rng}) of every current resource again with the search parameters registered now, in batches of {@value #BATCH}
 * rows by {@code res_pk}, each batch in a short unit of work of its own, online: a row is updated only if it is still at
 * the version that was read (a write in between already wrote a fresh index) and only if its index changed, and a
 * search meanwhile sees each row's old or new index, both of which are right for its body. Resumable: the last
 * {@code res_pk} done is the checkpoint, written with each batch.
 */
@Component(service = JobHandler.class, property = JobHandler.TYPE + "=" + FhirMaintenance.REINDEX_JOB_TYPE)
public final class ReindexJob implements JobHandler {
    static final int BATCH = 500;
    static final String AFTER = "after";
    static final String DONE = "done";
    private static final Logger LOG = LoggerFactory.getLogger(ReindexJob.class);
    private static final String S = SetWriter.S;

    private final StoreInternals store;
    private final Indexing indexing;

    @Activate
    public ReindexJob(@Reference StoreInternals store, @Reference Indexing indexing) {
        this.store = store;
        this.indexing = indexing;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    private record Current(long patientKey, long resPk, String type, int version, String body) {}

    @Override
    public Map<String, String> run(JobContext context) {
        Map<String, String> cp = context.checkpoint();
        long after = Long.parseLong(cp.getOrDefault(AFTER, "0"));
        long done = Long.parseLong(cp.getOrDefault(DONE, "0"));
        long changed = 0;
        long total = done
                + store.sql().count("SELECT count(*) FROM " + S + ".resource WHERE res_pk > ? AND NOT deleted", after);
        context.progress(done, total);
        IndexExtractor extractor = indexing.extractor();
        FhirContext fhir = FhirContext.forR5Cached();
        while (true) {
            context.throwIfCancelled();
            List<Current> rows = store.sql()
                    .list(
                            "SELECT patient_key, res_pk, rtype, version, body FROM " + S + ".resource WHERE res_pk > ?"
                                    + " AND NOT deleted ORDER BY res_pk LIMIT " + BATCH,
                            rs -> new Current(
                                    rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5)),
                            after);
            if (rows.isEmpty()) {
                break;
            }
            Map<Long, List<String>> members = members(rows);
            int n = rows.size();
            Long[] patientKeys = new Long[n];
            Long[] resPks = new Long[n];
            Long[] versions = new Long[n];
            String[] keys = new String[n];
            String[] rngs = new String[n];
            for (int i = 0; i < n; i++) {
                Current c = rows.get(i);
                Resource r = (Resource) fhir.newJsonParser().parseResource(c.body());
                if (r instanceof Group g) {
                    for (String m : members.getOrDefault(c.resPk(), List.of())) {
                        g.addMember().setEntity(new org.hl7.fhir.r5.model.Reference(m));
                    }
                }
                ResourceIndex ix = extractor.extract(r);
                patientKeys[i] = c.patientKey();
                resPks[i] = c.resPk();
                versions[i] = (long) c.version();
                keys[i] = SetWriter.textArray(ix.keys());
                rngs[i] = SetWriter.floatArray(ix.rng());
            }
            long last = rows.get(n - 1).resPk();
            long doneNow = done + n;
            int updated = store.writes().write("FHIR reindex", tx -> {
                int u = tx.update(
                        "UPDATE " + S
                                + ".resource r SET keys = x.k::text[], rng = x.g::float8[] FROM unnest(?::bigint[],"
                                + " ?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS x(p, id, v, k, g) WHERE"
                                + " r.patient_key = x.p AND r.res_pk = x.id AND r.version = x.v AND NOT r.deleted AND"
                                + " (r.keys IS DISTINCT FROM x.k::text[] OR r.rng IS DISTINCT FROM x.g::float8[])",
                        patientKeys,
                        resPks,
                        versions,
                        keys,
                        rngs);
                context.checkpoint(Map.of(AFTER, Long.toString(last), DONE, Long.toString(doneNow)));
                return u;
            });
            changed += updated;
            after = last;
            done = doneNow;
            context.progress(done, Math.max(done, total));
        }
        // every row now carries the index this code writes (rows written meanwhile were written by it too)
        indexing.indexFormatCurrent();
        LOG.info("FHIR reindex job {}: {} resources read, {} indexes changed", context.id(), done, changed);
        return Map.of("resources.read", Long.toString(done), "resources.changed", Long.toString(changed));
    }

    /** The members of the batch's Groups (a Group's body holds none: they are rows of their own). */
    private Map<Long, List<String>> members(List<Current> rows) {
        List<Long> groups = new ArrayList<>();
        for (Current c : rows) {
            if (c.type().equals("Group")) {
                groups.add(c.resPk());
            }
        }
        Map<Long, List<String>> out = new HashMap<>();
        if (groups.isEmpty()) {
            return out;
        }
        store.sql()
                .list(
                        "SELECT group_pk, member_ref FROM " + S + ".group_member WHERE group_pk = ANY(?) AND NOT"
                                + " inactive ORDER BY group_pk, member_ref",
                        rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(rs.getString(2)),
                        (Object) groups.toArray(Long[]::new));
        return out;
    }
}
