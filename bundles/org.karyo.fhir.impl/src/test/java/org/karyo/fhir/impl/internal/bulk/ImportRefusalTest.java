package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirWriteHook;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.impl.internal.store.FhirStoreImpl;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/** What an import does with a line a write hook refuses, and with import.stop.on.error. */
class ImportRefusalTest {

    @Test
    void aWriteHookSeesEveryImportedResourceAndItsRefusalRefusesThatLineOnly() throws Exception {
        try (BulkTestEnv env = new BulkTestEnv(false)) {
            List<String> seen = new ArrayList<>();
            FhirWriteHook hook = e -> {
                assertThat(e.inImport()).isTrue();
                assertThat(e.resource().getMeta().getVersionId()).isEqualTo("1");
                seen.add(e.type() + "/" + e.id());
                if (e.id().equals("o-bad")) {
                    throw FhirException.unprocessable("Observation.code", "The hook refuses this code");
                }
                // a hook may complete what is written
                e.resource().getMeta().addTag("http://karyo.test/hook", "seen", null);
            };
            Method add = FhirStoreImpl.class.getDeclaredMethod("addHook", FhirWriteHook.class);
            add.setAccessible(true);
            add.invoke(env.store, hook);
            env.file("hook/Patient.ndjson", List.of(Lines.patient("hp", "Hook", null)));
            env.file(
                    "hook/Observation.ndjson",
                    List.of(
                            Lines.observation("o-1", "hp", null, "8867-4", 60, "2024-01-01"),
                            Lines.observation("o-bad", "hp", null, "8867-4", 61, "2024-01-01"),
                            Lines.observation("o-3", "hp", null, "8867-4", 62, "2024-01-01")));
            Job job = env.await(env.service.start(ADMIN, ImportRequest.ofFiles(List.of("hook"), null)));
            assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.result())
                    .containsEntry("resources.stored", "3")
                    .containsEntry("lines.refused", "1")
                    .containsEntry("refused.1", "hook/Observation.ndjson line 2: processing at Observation.code");
            assertThat(seen).contains("Patient/hp", "Observation/o-1", "Observation/o-bad", "Observation/o-3");
            assertThat(env.ids("Observation", "_tag=http://karyo.test/hook|seen"))
                    .containsExactlyInAnyOrder("o-1", "o-3");
            assertThat(env.service.report(ADMIN, job.id()))
                    .containsExactly("hook/Observation.ndjson\t2\tObservation.code: The hook refuses this code");
        }
    }

    @Test
    void anImportThatStopsOnErrorFailsNamingTheLine() {
        try (BulkTestEnv env = new BulkTestEnv(true)) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                lines.add(i == 1200 ? "not json" : Lines.patient("sp" + i, "Stop", null));
            }
            env.file("stop/Patient.ndjson", lines);
            Job job = env.await(env.service.start(ADMIN, ImportRequest.ofFiles(List.of("stop"), null)));
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.error())
                    .contains("import.stop.on.error")
                    .contains("stop/Patient.ndjson line 1201: structure");
            // the chunk before it was stored, nothing after the chunk holding it
            long stored = env.count("SELECT count(*) FROM karyo_fhir.resource");
            assertThat(stored).isGreaterThanOrEqualTo(1000).isLessThan(2499);
            assertThat(env.service.report(ADMIN, job.id())).hasSize(1);
        }
    }
}
