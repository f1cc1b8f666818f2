package org.karyo.fhir.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.api.FhirStats;
import org.karyo.fhir.api.FhirStore;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.ParamType;
import org.karyo.fhir.api.SearchParameterInfo;
import org.karyo.fhir.api.SearchParameters;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.Progress;

class FhirCommandsTest {

    private static final Caller ADMIN = new Caller() {
        @Override
        public String id() {
            return "console-admin";
        }

        @Override
        public String getName() {
            return "console-admin";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return true;
        }
    };
    private static final ConsoleIdentity CONSOLE = user -> ADMIN;
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private final FhirImports imports = mock(FhirImports.class);
    private final FhirMaintenance maintenance = mock(FhirMaintenance.class);
    private final JobService jobs = mock(JobService.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Job job(
            long id, String type, JobState state, long done, Long total, String unit, Map<String, String> result) {
        return new Job(
                id,
                type,
                "fhir",
                null,
                "console-admin",
                state,
                new Progress(done, total, unit),
                1,
                3,
                "n1",
                false,
                state == JobState.FAILED ? "it failed" : null,
                result,
                T,
                T,
                state.finished() ? T : null,
                T);
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : List.of(
                FhirImportCommand.class,
                FhirStatsCommand.class,
                FhirReindexCommand.class,
                FhirExpungeCommand.class,
                FhirSearchParamsCommand.class)) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.name()).startsWith("fhir-");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description())
                            .as(type.getSimpleName() + " " + o.name())
                            .isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description())
                            .as(type.getSimpleName() + " " + a.name())
                            .isNotBlank();
                }
            }
        }
    }

    @Test
    void importSubmitsTheJobShowsItsProgressAndPrintsTheRefusedLines() {
        when(imports.start(ADMIN, ImportRequest.ofFiles(List.of("synthea/fhir"), "4.0")))
                .thenReturn(9L);
        when(jobs.get(ADMIN, 9L))
                .thenReturn(
                        job(9, "fhir.import", JobState.QUEUED, 0, null, "lines", Map.of()),
                        job(9, "fhir.import", JobState.RUNNING, 500, 1000L, "lines", Map.of()),
                        job(
                                9,
                                "fhir.import",
                                JobState.SUCCEEDED,
                                1000,
                                1000L,
                                "lines",
                                Map.of(
                                        "lines.read", "1000",
                                        "resources.stored", "998",
                                        "lines.refused", "2",
                                        "references.unresolved", "0")));
        when(imports.report(ADMIN, 9L))
                .thenReturn(List.of(
                        "Observation.ndjson\t3\tObservation.status: required element missing",
                        "Observation.ndjson\t7\tObservation: unexpected end of input"));
        FhirImportCommand c = new FhirImportCommand();
        c.imports = imports;
        c.jobs = jobs;
        c.identity = CONSOLE;
        c.path = "synthea/fhir";
        c.fhirVersion = "4.0";
        c.every = Duration.ZERO;
        c.sleeper = d -> {};
        c.print(out);
        assertThat(printed())
                .contains("runs as job 9")
                .contains("[###############---------------]  50%  500/1000 lines  RUNNING")
                .contains("[##############################] 100%  1000/1000 lines  SUCCEEDED")
                .contains("1000 lines read: 998 resources stored, 2 lines refused, 0 unresolved references")
                .contains("Observation.ndjson\t3\tObservation.status: required element missing");
    }

    @Test
    void aRefusedImportSaysWhyAndAFailedJobItsError() {
        when(imports.start(eq(ADMIN), eq(ImportRequest.ofFiles(List.of("../x"), "5.0"))))
                .thenThrow(FhirException.badRequest("file", "The path '../x' is outside the import folder"));
        FhirImportCommand c = new FhirImportCommand();
        c.imports = imports;
        c.jobs = jobs;
        c.identity = CONSOLE;
        c.path = "../x";
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("outside the import folder");
        verifyNoInteractions(jobs);

        when(imports.start(ADMIN, ImportRequest.ofFiles(List.of("a"), "5.0"))).thenReturn(3L);
        when(jobs.get(ADMIN, 3L)).thenReturn(job(3, "fhir.import", JobState.FAILED, 1, 10L, "lines", Map.of()));
        c.path = "a";
        c.every = Duration.ZERO;
        c.sleeper = d -> {};
        c.print(out);
        assertThat(printed()).contains("Job 3 FAILED: it failed");
    }

    @Test
    void followingStopsWhenInterruptedAndTheJobGoesOn() {
        when(maintenance.reindex(ADMIN)).thenReturn(4L);
        when(jobs.get(ADMIN, 4L)).thenReturn(job(4, "fhir.reindex", JobState.RUNNING, 10, null, "resources", Map.of()));
        FhirReindexCommand c = new FhirReindexCommand();
        c.maintenance = maintenance;
        c.jobs = jobs;
        c.identity = CONSOLE;
        c.every = Duration.ZERO;
        c.sleeper = d -> {
            throw new InterruptedException();
        };
        c.print(out);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(printed()).contains("Reindex runs as job 4", "10 resources", "job 4 goes on");
    }

    @Test
    void reindexShowsWhatItChanged() {
        when(maintenance.reindex(ADMIN)).thenReturn(5L);
        when(jobs.get(ADMIN, 5L))
                .thenReturn(job(
                        5,
                        "fhir.reindex",
                        JobState.SUCCEEDED,
                        20,
                        20L,
                        "resources",
                        Map.of("resources.read", "20", "resources.changed", "3")));
        FhirReindexCommand c = new FhirReindexCommand();
        c.maintenance = maintenance;
        c.jobs = jobs;
        c.identity = CONSOLE;
        c.every = Duration.ZERO;
        c.sleeper = d -> {};
        c.print(out);
        assertThat(printed()).contains("100%  20/20 resources", "20 resources read, 3 indexes changed");
    }

    @Test
    void statsShowCountsPerTypeAndTableSizes() {
        when(maintenance.stats(ADMIN))
                .thenReturn(new FhirStats(
                        List.of(
                                new FhirStats.TypeStats("Observation", 1000, 2, 700_000),
                                new FhirStats.TypeStats("Patient", 10, 0, 20_000)),
                        List.of(
                                new FhirStats.TableStats("resource", 1012, 2_000_000),
                                new FhirStats.TableStats("resource_id", 1012, 100_000))));
        FhirStatsCommand c = new FhirStatsCommand();
        c.maintenance = maintenance;
        c.identity = CONSOLE;
        c.print(out);
        assertThat(printed())
                .contains("Observation", "1000", "683.6 KiB", "Patient")
                .contains("1010 resources of 2 types (2 deleted)")
                .contains("resource_id", "1.9 MiB")
                .contains("2.0 MiB in all (2079 B per resource)");
    }

    @Test
    void expungeErasesAsTheConsolesCallerAndChecksItsArgument() {
        FhirStore store = mock(FhirStore.class);
        when(store.expunge(ADMIN, "Patient", "p1", true)).thenReturn(12L);
        FhirExpungeCommand c = new FhirExpungeCommand();
        c.store = store;
        c.identity = CONSOLE;
        c.resource = "Patient/p1";
        c.compartment = true;
        c.print(out);
        verify(store).expunge(ADMIN, "Patient", "p1", true);
        assertThat(printed()).contains("Erased Patient/p1 and its compartment: 12 versions");

        c.resource = "Observation/o1";
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("only a Patient has a compartment");
        c.resource = "p1";
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("Type/id");
        c.resource = "Observation/o1";
        c.compartment = false;
        when(store.expunge(ADMIN, "Observation", "o1", false)).thenThrow(FhirException.notFound("Observation", "o1"));
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("Observation/o1 is not known");
    }

    @Test
    void searchParamsListEveryParameterAndMarkCustomOnes() {
        SearchParameters params = mock(SearchParameters.class);
        when(params.list("Patient"))
                .thenReturn(List.of(
                        new SearchParameterInfo(
                                "Patient",
                                "family",
                                ParamType.STRING,
                                "Patient.name.family",
                                null,
                                false,
                                false,
                                List.of()),
                        new SearchParameterInfo(
                                "Patient", "age-day", ParamType.NUMBER, null, null, true, true, List.of()),
                        new SearchParameterInfo(
                                "Patient",
                                "eye-colour",
                                ParamType.TOKEN,
                                "Patient.extension('http://x/eye').value",
                                "http://x/sp/eye",
                                true,
                                false,
                                List.of())));
        FhirSearchParamsCommand c = new FhirSearchParamsCommand();
        c.parameters = params;
        c.type = "Patient";
        c.print(out);
        assertThat(printed())
                .contains("family", "string", "R5", "Patient.name.family")
                .contains("age-day", "computed")
                .contains("eye-colour", "custom")
                .contains("3 parameters shown (2 custom or computed)");
        bytes.reset();
        c.customOnly = true;
        c.print(out);
        assertThat(printed()).doesNotContain("family").contains("2 parameters shown");
    }
}
