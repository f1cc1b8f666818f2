package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.WriteOptions;
import org.karyo.fhir.impl.internal.parse.FhirJson;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/**
 * The bulk path writes the rows the store's own writer writes: the same resources, written once through updates
 * ({@code Writer.put}) into one database and once through an import into another, leave the same rows (bodies but
 * for their time, index, compartments, places, history, perimeter relation, NOLIST flags), also for a second version.
 */
class SetWriterParityTest {
    private static final String NOLIST_META =
            "\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"NOLIST\"}]},";

    private static BulkTestEnv writer;
    private static BulkTestEnv bulk;

    @BeforeAll
    static void start() {
        writer = new BulkTestEnv(false);
        bulk = new BulkTestEnv(false);
    }

    @AfterAll
    static void stop() {
        for (BulkTestEnv e : new BulkTestEnv[] {writer, bulk}) {
            if (e != null) {
                e.close();
            }
        }
    }

    /** Version {@code v} of the data set, by file, in the order the writer path writes them. */
    private static Map<String, List<String>> data(int v) {
        String family = v == 1 ? "Alpha" : "Alphabet";
        return new java.util.LinkedHashMap<>(Map.of(
                "Organization.ndjson",
                List.of(Lines.organization("org-a", "Hospital A"), Lines.organization("org-b", "Clinic B")),
                "Patient.ndjson",
                List.of(
                        Lines.patient("pa", family, null)
                                .replace(
                                        "\"gender\"",
                                        "\"managingOrganization\":{\"reference\":\"Organization/"
                                                + (v == 1 ? "org-a" : "org-b") + "\"},\"gender\""),
                        v == 1
                                ? Lines.patient("pb", "O\\\"Brien\\\\x", null)
                                        .replace("\"identifier\"", NOLIST_META + "\"identifier\"")
                                : Lines.patient("pb", "O\\\"Brien\\\\x\\ty", null)),
                "Encounter.ndjson",
                List.of(Lines.encounter("ea", "pa", "x")
                        .replace(
                                "\"Organization?identifier=" + Lines.ORG_SYSTEM + "|x-ident\"",
                                "\"Organization/" + (v == 1 ? "org-b" : "org-a") + "\"")),
                "Observation.ndjson",
                List.of(
                        Lines.observation("oa", "pa", "ea", "8867-4", 70 + v, "2024-09-03T10:15:00+02:00"),
                        Lines.observation("ob", "pb", null, "8310-5", 37.5, "2024-09")
                                .replace(
                                        "\"valueQuantity\"",
                                        "\"performer\":[{\"reference\":\"Patient/pa\"}],\"valueQuantity\""),
                        Lines.observation("oc", v == 1 ? "pa" : "pb", null, "8867-4", 50, "2024"))));
    }

    private static final List<String> ORDER =
            List.of("Organization.ndjson", "Patient.ndjson", "Encounter.ndjson", "Observation.ndjson");

    @Test
    void theBulkPathWritesTheRowsOfTheWriter() {
        FhirJson json = new FhirJson();
        for (int v = 1; v <= 2; v++) {
            Map<String, List<String>> files = data(v);
            for (String f : ORDER) {
                for (String line : files.get(f)) {
                    Resource r = json.parse(line);
                    writer.store.update(ADMIN, r.fhirType(), r.getIdPart(), r, WriteOptions.plain(BulkTestEnv.BASE));
                }
            }
            List<String> paths = new ArrayList<>();
            for (String f : ORDER) {
                bulk.file("v" + v + "/" + f, files.get(f));
                paths.add("v" + v + "/" + f);
            }
            Job job = bulk.await(bulk.service.start(ADMIN, ImportRequest.ofFiles(paths, null)));
            assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.result()).containsEntry("lines.refused", "0").containsEntry("references.unresolved", "0");

            for (String query : QUERIES) {
                assertThat(rows(bulk, query))
                        .as(query)
                        .isEqualTo(rows(writer, query))
                        .isNotEmpty();
            }
        }
    }

    private static final List<String> QUERIES = List.of(
            // current rows: body (but its time), index, compartment by patient id
            "SELECT r.rtype, r.id, r.version, r.deleted, coalesce(p.id, '-'), coalesce((SELECT string_agg(q.id, ','"
                    + " ORDER BY q.id) FROM unnest(r.patients) AS k(v) JOIN karyo_fhir.resource_id q ON q.res_pk = k.v),"
                    + " '-'), regexp_replace(r.body, '\"lastUpdated\":\"[^\"]*\"', ''), r.keys::text, r.rng::text FROM"
                    + " karyo_fhir.resource r LEFT JOIN karyo_fhir.resource_id p ON p.res_pk = r.patient_key AND"
                    + " p.rtype = 'Patient' ORDER BY r.rtype, r.id",
            // places
            "SELECT ri.rtype, ri.id, coalesce(p.id, '-') FROM karyo_fhir.resource_id ri LEFT JOIN"
                    + " karyo_fhir.resource_id p ON p.res_pk = ri.patient_key AND p.rtype = 'Patient'"
                    + " ORDER BY ri.rtype, ri.id",
            // history
            "SELECT ri.rtype, ri.id, h.version, h.deleted, coalesce(p.id, '-'), regexp_replace(h.body,"
                    + " '\"lastUpdated\":\"[^\"]*\"', '') FROM karyo_fhir.resource_history h JOIN karyo_fhir.resource_id"
                    + " ri ON ri.res_pk = h.res_pk LEFT JOIN karyo_fhir.resource_id p ON p.res_pk = h.patient_key AND"
                    + " p.rtype = 'Patient' UNION ALL SELECT 'none', '', 0, false, '', '' ORDER BY 1, 2, 3",
            // the perimeter relation and NOLIST flags
            "SELECT p.id, po.organization_id, CASE WHEN po.source LIKE 'encounter:%' THEN 'encounter:' || e.id ELSE"
                    + " po.source END FROM karyo_fhir.patient_organization po JOIN karyo_fhir.resource_id p ON"
                    + " p.res_pk = po.patient_key LEFT JOIN karyo_fhir.resource_id e ON 'encounter:' || e.res_pk ="
                    + " po.source ORDER BY 1, 2, 3",
            "SELECT p.id FROM karyo_fhir.opposed_patient o JOIN karyo_fhir.resource_id p ON p.res_pk = o.patient_key"
                    + " UNION ALL SELECT '-' ORDER BY 1",
            "SELECT organization_id, perimeter_id, attached FROM karyo_fhir.organization_perimeter ORDER BY 1");

    private static List<String> rows(BulkTestEnv env, String query) {
        return env.store.sql().list(query, rs -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                sb.append(i == 1 ? "" : " | ").append(rs.getString(i));
            }
            return sb.toString();
        });
    }
}
