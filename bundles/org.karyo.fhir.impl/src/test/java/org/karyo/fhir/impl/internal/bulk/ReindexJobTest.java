package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.SearchParameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.WriteOptions;
import org.karyo.fhir.impl.internal.store.SetWriter;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/**
 * A reindex extracts every current resource's index again with the parameters registered now, in batches of short
 * units of work, while searches keep answering correctly and writes go on.
 */
class ReindexJobTest {
    private static final int PATIENTS = 50;
    private static final int OBSERVATIONS = 2_000;
    private static BulkTestEnv env;

    @BeforeAll
    static void start() {
        env = new BulkTestEnv(false);
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < PATIENTS; i++) {
            patients.add(Lines.patient("xp" + i, "Family" + i, null));
        }
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < OBSERVATIONS; i++) {
            observations.add(Lines.observation(
                    "xo" + i,
                    "xp" + (i % PATIENTS),
                    null,
                    i % 2 == 0 ? "8867-4" : "8310-5",
                    50 + i % 40,
                    "2024-05-0" + (1 + i % 9)));
        }
        env.file("reindex/Patient.ndjson", patients);
        env.file("reindex/Observation.ndjson", observations);
        Job job = env.await(env.service.start(ADMIN, ImportRequest.ofFiles(List.of("reindex"), null)));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aReindexIndexesANewParameterWhileSearchesAndWritesGoOn() throws Exception {
        List<String> heartRatesOfP3 = env.ids("Observation", "subject=Patient/xp4&code=8867-4");
        assertThat(heartRatesOfP3).hasSize(OBSERVATIONS / PATIENTS);

        SearchParameter sp = new SearchParameter();
        sp.setUrl("http://karyo.test/sp/code-display");
        sp.setName("CodeDisplay");
        sp.setStatus(Enumerations.PublicationStatus.ACTIVE);
        sp.setDescription("The display of an Observation's code");
        sp.setCode("code-display");
        sp.addBase(Enumerations.VersionIndependentResourceTypesAll.OBSERVATION);
        sp.setType(Enumerations.SearchParamType.STRING);
        sp.setExpression("Observation.code.coding.display");
        env.params.register(sp);
        // existing resources are indexed with the new parameter only by a reindex
        assertThat(env.ids("Observation", "code-display=heart")).isEmpty();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger searches = new AtomicInteger();
        AtomicReference<Throwable> wrong = new AtomicReference<>();
        Thread searcher = new Thread(() -> {
            while (!stop.get()) {
                try {
                    List<String> now = env.ids("Observation", "subject=Patient/xp4&code=8867-4");
                    if (!new java.util.HashSet<>(now).equals(new java.util.HashSet<>(heartRatesOfP3))) {
                        wrong.compareAndSet(null, new AssertionError("a search during the reindex answered " + now));
                    }
                    searches.incrementAndGet();
                } catch (RuntimeException e) {
                    wrong.compareAndSet(null, e);
                }
            }
        });
        searcher.start();
        long id = env.service.reindex(ADMIN);
        // a write during the reindex: its index is the one it wrote, never an older one
        Observation o = (Observation) env.store.read(ADMIN, "Observation", "xo1");
        o.getCode().getCodingFirstRep().setDisplay("Body temperature");
        env.store.update(ADMIN, "Observation", "xo1", o, WriteOptions.plain(BulkTestEnv.BASE));
        Job job = env.await(id);
        stop.set(true);
        searcher.join();
        assertThat(wrong.get()).isNull();
        assertThat(searches.get()).isPositive();

        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.type()).isEqualTo(FhirMaintenance.REINDEX_JOB_TYPE);
        assertThat(job.progress().unit()).isEqualTo("resources");
        assertThat(job.progress().done()).isEqualTo(job.progress().total());
        assertThat(Long.parseLong(job.result().get("resources.read"))).isEqualTo(PATIENTS + OBSERVATIONS);
        assertThat(Long.parseLong(job.result().get("resources.changed"))).isGreaterThanOrEqualTo(OBSERVATIONS - 1);

        // every display is "Heart rate" but xo1's, changed during the reindex
        assertThat(env.ids("Observation", "code-display=heart"))
                .hasSize(OBSERVATIONS - 1)
                .doesNotContain("xo1");
        assertThat(env.ids("Observation", "code-display=body")).contains("xo1");
        assertThat(env.ids("Observation", "subject=Patient/xp4&code=8867-4"))
                .containsExactlyInAnyOrderElementsOf(heartRatesOfP3);

        // a second reindex finds nothing to change
        Job again = env.await(env.service.reindex(ADMIN));
        assertThat(again.result()).containsEntry("resources.changed", "0");
    }

    @Test
    void aStoreOfTheOlderIndexFormatSearchesRangesWithoutBucketsUntilAReindex() {
        String search = "value-quantity=gt85&date=ge2024-05-05";
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < OBSERVATIONS; i++) {
            if (50 + i % 40 > 85 && 1 + i % 9 >= 5) {
                expected.add("xo" + i);
            }
        }
        assertThat(env.params.rangeBuckets()).isTrue();
        assertThat(env.ids("Observation", search)).containsExactlyInAnyOrderElementsOf(expected);

        // the rows of a store written before the bucket keys: no :v= keys, no decade or century keys
        env.store
                .writes()
                .write(
                        "test",
                        tx -> tx.update("UPDATE " + SetWriter.S + ".resource SET keys = ARRAY("
                                + "SELECT k FROM unnest(keys) k WHERE k NOT LIKE '%:v=%' AND k !~ ':y=[0-9]{2,3}$')"));
        env.store.writes().write("test", tx -> tx.update("UPDATE " + SetWriter.S + ".index_format SET version = 1"));
        env.params.reloadIndexFormat();
        assertThat(env.params.rangeBuckets()).isFalse();
        assertThat(env.ids("Observation", search)).containsExactlyInAnyOrderElementsOf(expected);

        Job job = env.await(env.service.reindex(ADMIN));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(env.params.rangeBuckets()).isTrue();
        assertThat(env.count("SELECT version FROM " + SetWriter.S + ".index_format"))
                .isEqualTo(2);
        // 86.0 stands for [85.95, 86.05) and 87.0 for [86.95, 87.05): both touch the bucket 86–86.99…
        assertThat(env.count("SELECT count(*) FROM " + SetWriter.S + ".resource WHERE 'value-quantity:v=+1.86' ="
                        + " ANY(keys)"))
                .isEqualTo(2 * OBSERVATIONS / 40);
        assertThat(env.ids("Observation", search)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
