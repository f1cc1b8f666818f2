package org.karyo.projects.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.projects.api.Consent;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectService;
import org.karyo.projects.api.ProjectStatus;
import org.mockito.ArgumentCaptor;

class ProjectsCommandsTest {

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

    private final ProjectService projects = mock(ProjectService.class);
    private final ParticipantService participants = mock(ParticipantService.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Project project(long id, String code) {
        return new Project(
                id,
                code,
                "Project " + code,
                null,
                ProjectStatus.ACTIVE,
                LocalDate.of(2025, 1, 1),
                null,
                true,
                2,
                "I1",
                3,
                40,
                12,
                T,
                T,
                1);
    }

    private static Participant participant(boolean pseudonymized) {
        return new Participant(
                5,
                7,
                pseudonymized ? null : "I1-P1-1",
                "PSN-ABCDEFGHIJKLMNOP",
                pseudonymized,
                true,
                pseudonymized ? null : "Ala",
                pseudonymized ? null : "Nowak",
                Gender.FEMALE,
                pseudonymized ? null : LocalDate.of(1980, 5, 17),
                1980,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                new Consent(ConsentState.GIVEN, null, null, null, null),
                List.of(),
                true,
                List.of("NA1"),
                null,
                T,
                T,
                1);
    }

    private void givenProjectP1() {
        when(projects.list(eq(ADMIN), any())).thenReturn(new Page<>(1, 100, 0, List.of(project(7, "P1"))));
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : List.of(
                InstitutionListCommand.class,
                ProjectListCommand.class,
                ParticipantListCommand.class,
                ParticipantImportCommand.class,
                ParticipantExportCommand.class)) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.name()).startsWith("projects-");
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
    void listShowsTheProjectsOfTheConsoleUser() {
        when(projects.list(eq(ADMIN), any())).thenReturn(new Page<>(1, 50, 0, List.of(project(7, "P1"))));
        ProjectListCommand c = new ProjectListCommand();
        c.projects = projects;
        c.identity = CONSOLE;
        c.active = true;
        c.search = "coh";
        c.print(out);
        ArgumentCaptor<ProjectQuery> q = ArgumentCaptor.forClass(ProjectQuery.class);
        verify(projects).list(eq(ADMIN), q.capture());
        assertThat(q.getValue().active()).isTrue();
        assertThat(q.getValue().search()).isEqualTo("coh");
        assertThat(printed()).contains("P1", "Project P1", "I1", "ACTIVE", "12", "1 of 1 shown");
    }

    @Test
    void participantsResolveTheProjectByCodeAndPrintWhatTheServiceAllows() {
        givenProjectP1();
        when(participants.list(eq(ADMIN), eq(7L), any())).thenReturn(new Page<>(1, 50, 0, List.of(participant(true))));
        ParticipantListCommand c = new ParticipantListCommand();
        c.projects = projects;
        c.participants = participants;
        c.identity = CONSOLE;
        c.project = "p1";
        c.consent = "given, expired";
        c.print(out);
        ArgumentCaptor<ParticipantQuery> q = ArgumentCaptor.forClass(ParticipantQuery.class);
        verify(participants).list(eq(ADMIN), eq(7L), q.capture());
        assertThat(q.getValue().consent()).isEqualTo(Set.of(ConsentState.GIVEN, ConsentState.EXPIRED));
        assertThat(printed()).contains("PSN-ABCDEFGHIJKLMNOP", "1980", "GIVEN", "NA1", "pseudonymised");
        assertThat(printed()).doesNotContain("Nowak");

        c.project = "nope";
        assertThatThrownBy(c::execute).hasMessageContaining("no project you may see");
        c.project = "p1";
        c.consent = "signed";
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("consent").hasMessageContaining("signed");
    }

    @Test
    void importReadsTheFileAndReportsOrExplainsEveryBadField() throws IOException {
        givenProjectP1();
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "first_name,last_name,gender,birth_date\nA,B,MALE,2000-01-01\n");
        when(participants.importCsv(eq(ADMIN), eq(7L), any(InputStream.class))).thenReturn(new ImportReport(1, 0));
        ParticipantImportCommand c = new ParticipantImportCommand();
        c.projects = projects;
        c.participants = participants;
        c.identity = CONSOLE;
        c.project = "P1";
        c.file = csv.toString();
        c.print(out);
        assertThat(printed()).contains("Imported p.csv: 1 participants added, 0 replaced");

        when(participants.importCsv(eq(ADMIN), eq(7L), any(InputStream.class)))
                .thenThrow(KaryoException.invalid(List.of(
                        new FieldError("line 2: gender", "must be MALE or FEMALE"),
                        new FieldError("line 3: birth_date", "must not be in the future"))));
        assertThatThrownBy(() -> c.print(out))
                .hasMessage("line 2: gender must be MALE or FEMALE; line 3: birth_date must not be in the future");
        c.file = dir.resolve("missing.csv").toString();
        assertThatThrownBy(() -> c.print(out)).hasMessageStartingWith("file: no such file");
    }

    @Test
    void exportWritesTheFileAndRefusesToOverwriteWithoutForce() throws IOException {
        givenProjectP1();
        when(participants.exportCsv(ADMIN, 7L)).thenReturn(new ParticipantExport() {
            @Override
            public boolean pseudonymized() {
                return false;
            }

            @Override
            public String fileName() {
                return "P1-participants.csv";
            }

            @Override
            public void writeTo(OutputStream o) throws IOException {
                o.write("identifier\r\nI1-P1-1\r\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        Path target = dir.resolve("out.csv");
        ParticipantExportCommand c = new ParticipantExportCommand();
        c.projects = projects;
        c.participants = participants;
        c.identity = CONSOLE;
        c.project = "7";
        when(projects.get(ADMIN, 7L)).thenReturn(project(7, "P1"));
        c.file = target.toString();
        c.print(out);
        assertThat(Files.readString(target)).isEqualTo("identifier\r\nI1-P1-1\r\n");
        assertThatThrownBy(() -> c.print(out)).hasMessageContaining("--force");
        c.force = true;
        c.print(out);
        assertThat(printed()).contains("Exported the participants of 7 to out.csv");
    }
}
