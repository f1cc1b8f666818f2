package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.fhir.impl.internal.bulk.BulkTestEnv.ADMIN;
import static org.karyo.fhir.impl.internal.bulk.Lines.encounter;
import static org.karyo.fhir.impl.internal.bulk.Lines.observation;
import static org.karyo.fhir.impl.internal.bulk.Lines.organization;
import static org.karyo.fhir.impl.internal.bulk.Lines.patient;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirStats;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.ImportUpload;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;

/**
 * Bulk imports as platform jobs on the real store: files in any order, conditional references resolved after every
 * file, refused lines reported with their line numbers while the others are stored, re-imports updating.
 */
class ImportJobTest {
    private static BulkTestEnv env;

    @BeforeAll
    static void start() {
        env = new BulkTestEnv(false);
        env.file(
                "set1/Observation.ndjson",
                List.of(
                        observation("o1", "p1", "e1", "8867-4", 72, "2024-09-03T10:15:00+02:00"),
                        observation("o2", "p1", "e1", "8867-4", 80, "2024-09-04T10:15:00+02:00"),
                        "{\"resourceType\":\"Observation\",\"id\":\"broken\",",
                        observation("o4", "p2", null, "8867-4", 60, "2024-09-05")
                                .replace("\"status\":\"final\",", ""),
                        "",
                        observation("o6", "ghost", null, "8867-4", 61, "2024-09-05"),
                        observation("o7", "p2", "e2", "8310-5", 37.2, "2024-09-06")));
        env.file(
                "set1/Encounter.ndjson",
                List.of(
                        encounter("e1", "p1", "org-b"),
                        encounter("e2", "p2", "org-a"),
                        encounter("e3", "p3", "nowhere")));
        env.file(
                "set1/Patient.ndjson",
                List.of(patient("p1", "Alpha", "org-a"), patient("p2", "Beta", null), patient("p3", "Gamma", null)));
        env.file("set1/Organization.ndjson", List.of(organization("org-a", "Hospital A"), organization("org-b", "B")));
        env.file("set1/Observation.more.ndjson", List.of(observation("o10", "p3", null, "8867-4", 90, "2024-10-01")));
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    private static Job importSet1() {
        long id = env.service.start(
                ADMIN,
                ImportRequest.ofFiles(
                        List.of(
                                "set1/Observation.ndjson",
                                "set1/Observation.more.ndjson",
                                "set1/Encounter.ndjson",
                                "set1/Patient.ndjson",
                                "set1/Organization.ndjson"),
                        null));
        return env.await(id);
    }

    @Test
    void aMixedSetIsStoredSearchableAndReportedLineByLineThenReimportedAsNewVersions() {
        Job job = importSet1();
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        Map<String, String> r = job.result();
        assertThat(r)
                .containsEntry("files", "5")
                .containsEntry("lines.read", "15")
                .containsEntry("resources.stored", "12")
                .containsEntry("lines.refused", "3")
                .containsEntry("references.unresolved", "1");
        assertThat(r.get("refused.1")).isEqualTo("set1/Observation.ndjson line 3: structure at Observation");
        assertThat(r.get("refused.2")).isEqualTo("set1/Observation.ndjson line 4: required at Observation.status");
        // e3's serviceProvider names an organisation that is not there
        assertThat(r.get("refused.3")).isEqualTo("set1/Encounter.ndjson line 3: not-found");
        assertThat(r.get("unresolved.1")).isEqualTo("set1/Observation.ndjson line 6: Patient/ghost");
        assertThat(job.progress().unit()).isEqualTo("lines");
        assertThat(job.progress().done()).isEqualTo(15);
        assertThat(job.progress().total()).isEqualTo(15L);

        // searchable, conditional references resolved
        assertThat(env.ids("Observation", "subject=Patient/p1")).containsExactlyInAnyOrder("o1", "o2");
        assertThat(env.ids("Observation", "code=http://loinc.org|8867-4&value-quantity=gt70"))
                .containsExactlyInAnyOrder("o1", "o2", "o10");
        assertThat(env.ids("Encounter", "service-provider=Organization/org-b")).containsExactly("e1");
        assertThat(env.ids("Patient", "organization=Organization/org-a")).containsExactly("p1");
        Encounter e1 = (Encounter) env.store.read(ADMIN, "Encounter", "e1");
        assertThat(e1.getServiceProvider().getReference()).isEqualTo("Organization/org-b");
        assertThat(e1.getMeta().getVersionId()).isEqualTo("1");
        Observation o1 = (Observation) env.store.read(ADMIN, "Observation", "o1");
        assertThat(o1.getMeta().getVersionId()).isEqualTo("1");
        assertThat(o1.getMeta().hasLastUpdated()).isTrue();

        // the perimeters follow: org-b's readers see p1 through e1's service provider, org-a's through p1's managing
        // organisation, and p2 through e2
        Caller readerB = reader(env.perimeters.node("fhir.organization.org-b"));
        assertThat(env.store.read(readerB, "Patient", "p1")).isInstanceOf(Patient.class);
        assertThat(env.store.read(readerB, "Observation", "o1")).isInstanceOf(Observation.class);
        assertThatThrownBy(() -> env.store.read(readerB, "Patient", "p2"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(404));
        Caller readerA = reader(env.perimeters.node("fhir.organization.org-a"));
        assertThat(env.store.read(readerA, "Patient", "p1")).isInstanceOf(Patient.class);
        assertThat(env.store.read(readerA, "Patient", "p2")).isInstanceOf(Patient.class);

        // one audit entry per stored batch
        assertThat(env.audit.actions()).contains("fhir.import.batch", "jobs.job.submit");
        // the full report has the parser's messages, for fhir.admin
        List<String> report = env.service.report(ADMIN, job.id());
        assertThat(report).hasSize(4);
        assertThat(report.get(0)).startsWith("set1/Observation.ndjson\t3\tObservation");
        assertThat(report)
                .anySatisfy(l -> assertThat(l).startsWith("set1/Observation.ndjson\t4\tObservation.status: "));
        assertThat(report).anySatisfy(l -> assertThat(l)
                .isEqualTo("set1/Observation.ndjson\t6\tThe reference Patient/ghost does not resolve to a resource"
                        + " of this server"));
        assertThat(report)
                .anySatisfy(l -> assertThat(l).startsWith("set1/Encounter.ndjson\t3\tThe conditional reference"));

        // the store's statistics count them
        FhirStats stats = env.service.stats(ADMIN);
        assertThat(stats.types())
                .contains(new FhirStats.TypeStats(
                        "Observation",
                        5,
                        0,
                        stats.types().stream()
                                .filter(t -> t.type().equals("Observation"))
                                .findFirst()
                                .orElseThrow()
                                .bodyBytes()));
        assertThat(stats.tables()).extracting(FhirStats.TableStats::table).contains("resource", "resource_id");
        assertThat(stats.totalBytes()).isPositive();

        // importing the same files again updates: versions 2, nothing duplicated
        long rows = env.count("SELECT count(*) FROM karyo_fhir.resource");
        Job again = importSet1();
        assertThat(again.state()).as(again.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(again.result()).containsEntry("resources.stored", "12").containsEntry("lines.refused", "3");
        assertThat(env.count("SELECT count(*) FROM karyo_fhir.resource")).isEqualTo(rows);
        assertThat(env.count("SELECT count(*) FROM karyo_fhir.resource WHERE rtype <> 'Organization' AND version <> 2"))
                .isZero();
        assertThat(env.count("SELECT count(*) FROM karyo_fhir.resource_history"))
                .isEqualTo(12);
        assertThat(env.store.read(ADMIN, "Observation", "o1").getMeta().getVersionId())
                .isEqualTo("2");
        assertThat(((Observation) env.store.vread(ADMIN, "Observation", "o1", 1))
                        .getValueQuantity()
                        .getValue())
                .isEqualByComparingTo("72");
        assertThat(env.ids("Observation", "subject=Patient/p1")).containsExactlyInAnyOrder("o1", "o2");
        assertThat(env.store.read(readerB, "Patient", "p1")).isInstanceOf(Patient.class);
    }

    @Test
    void anUploadGivesAPresignedUrlUnderTheImportArea() {
        ImportUpload u = env.service.upload(ADMIN, "Observation.part-1.ndjson");
        assertThat(u.storeKey()).startsWith("fhir/imports/").endsWith("/Observation.part-1.ndjson");
        assertThat(u.url()).isNotNull();
        assertThatThrownBy(() -> env.service.upload(ADMIN, "../x/Patient.ndjson"))
                .isInstanceOf(FhirException.class);
        assertThatThrownBy(() -> env.service.upload(ADMIN, "patients.csv")).isInstanceOf(FhirException.class);
        assertThatThrownBy(() ->
                        env.service.upload(BulkTestEnv.caller("w", Set.of("fhir.write"), Map.of()), "Patient.ndjson"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void theRequestIsCheckedWhenTheJobIsSubmitted() {
        Caller writer = BulkTestEnv.caller("w", Set.of("fhir.write"), Map.of());
        assertThatThrownBy(() -> env.service.start(writer, ImportRequest.ofFiles(List.of("set1"), null)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> env.service.start(ADMIN, ImportRequest.ofFiles(List.of("../etc/passwd"), null)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> env.service.start(ADMIN, ImportRequest.ofFiles(List.of("/etc/hostname"), null)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("outside the import folder"));
        env.file("odd/patients.txt", List.of(patient("x", "X", null)));
        assertThatThrownBy(() -> env.service.start(ADMIN, ImportRequest.ofFiles(List.of("odd/patients.txt"), null)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("<Type>[.<suffix>].ndjson"));
        assertThatThrownBy(() -> env.service.start(ADMIN, ImportRequest.ofFiles(List.of("set1"), "3.0")))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> env.service.start(ADMIN, ImportRequest.ofFiles(List.of("set1"), FhirImports.R4)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("karyo-fhir-r4"));
        assertThatThrownBy(() ->
                        env.service.start(ADMIN, ImportRequest.ofStoreKeys(List.of("projects/imports/1/x.csv"), null)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("fhir/imports/"));
    }

    private static Caller reader(long node) {
        return BulkTestEnv.caller(
                "reader-" + node, Set.of(), Map.of(AccessRights.READ_PATIENT_NOMINATIVE, Scope.of(List.of(node))));
    }
}
