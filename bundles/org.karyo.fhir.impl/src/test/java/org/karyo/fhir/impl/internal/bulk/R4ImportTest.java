package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;

import java.util.List;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.r4.internal.R4Converter;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/** An import of FHIR R4 files (Synthea's default export) through the real R4 converter of org.karyo.fhir.r4. */
class R4ImportTest {
    private static BulkTestEnv env;

    @BeforeAll
    static void start() {
        env = new BulkTestEnv(false);
        env.converter(new R4Converter());
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void r4FilesAreConvertedResolvedAndStored() {
        env.file("r4/Observation.ndjson", List.of(R4Lines.OBSERVATION));
        env.file("r4/Encounter.ndjson", List.of(R4Lines.ENCOUNTER));
        env.file(
                "r4/Patient.ndjson",
                List.of(
                        R4Lines.PATIENT,
                        R4Lines.PATIENT.replace("\"id\":\"b4b8a8d2", "\"colour\":\"red\",\"id\":\"zz")));
        env.file("r4/Practitioner.ndjson", List.of(R4Lines.PRACTITIONER));
        env.file("r4/Location.ndjson", List.of(R4Lines.LOCATION));
        env.file("r4/Organization.ndjson", List.of(R4Lines.ORGANIZATION));

        Job job = env.await(env.service.start(ADMIN, ImportRequest.ofFiles(List.of("r4"), FhirImports.R4)));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.result())
                .containsEntry("lines.read", "7")
                .containsEntry("resources.stored", "6")
                .containsEntry("lines.refused", "1")
                .containsEntry("references.unresolved", "0");
        assertThat(job.result().get("refused.1")).startsWith("r4/Patient.ndjson line 2: invalid");
        assertThat(env.service.report(ADMIN, job.id()).get(0)).contains("colour");

        Patient p = (Patient) env.store.read(ADMIN, "Patient", "b4b8a8d2-1a8f-4e0a-9d4b-2f5c1c0f7e11");
        assertThat(p.getNameFirstRep().getFamily()).isEqualTo("Kuhn");
        Encounter e = (Encounter) env.store.read(ADMIN, "Encounter", "e-1");
        assertThat(e.getServiceProvider().getReference()).isEqualTo("Organization/org-1");
        assertThat(e.getParticipantFirstRep().getActor().getReference()).isEqualTo("Practitioner/pr-1");
        assertThat(e.getLocationFirstRep().getLocation().getReference()).isEqualTo("Location/loc-1");
        assertThat(env.ids("Observation", "patient.family=kuhn&code=http://loinc.org|8302-2"))
                .containsExactly("o-1");
        assertThat(env.ids("Encounter", "class=AMB&date=2010-05-04")).containsExactly("e-1");
    }
}
