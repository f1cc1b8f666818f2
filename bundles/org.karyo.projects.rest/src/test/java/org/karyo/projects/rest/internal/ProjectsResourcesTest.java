package org.karyo.projects.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.projects.api.Consent;
import org.karyo.projects.api.ConsentService;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ImportStart;
import org.karyo.projects.api.InstitutionService;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantImports;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectFile;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectRights;
import org.karyo.projects.api.ProjectService;
import org.karyo.projects.api.ProjectStatus;
import org.karyo.projects.api.Upload;
import org.mockito.ArgumentCaptor;

/** The REST resources decode, call the service and shape responses; the services are mocked. */
class ProjectsResourcesTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private static final String SHA = "a".repeat(64);

    private final InstitutionService institutions = mock(InstitutionService.class);
    private final ProjectService projects = mock(ProjectService.class);
    private final ParticipantService participants = mock(ParticipantService.class);
    private final ProjectResource projectResource = new ProjectResource(projects);
    private final ConsentService consents = mock(ConsentService.class);
    private final ParticipantImports imports = mock(ParticipantImports.class);
    private final ParticipantResource participantResource = new ParticipantResource(participants, consents, imports);
    private final Caller caller = mock(Caller.class);
    private final SecurityContext security = mock(SecurityContext.class);

    ProjectsResourcesTest() {
        when(security.getUserPrincipal()).thenReturn(caller);
    }

    private static Project project(long id, long version) {
        return new Project(
                id,
                "P1",
                "Project",
                null,
                ProjectStatus.ACTIVE,
                LocalDate.of(2025, 1, 1),
                null,
                true,
                2,
                "I1",
                3,
                40,
                0,
                T,
                T,
                version);
    }

    private static Participant participant(long id) {
        return new Participant(
                id,
                7,
                "I1-P1-1",
                "PSN-AAAAAAAAAAAAAAAA",
                false,
                true,
                "Ala",
                "Nowak",
                Gender.FEMALE,
                LocalDate.of(1980, 1, 1),
                1980,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                new Consent(ConsentState.PENDING, null, null, null, null),
                List.of(),
                true,
                List.of(),
                null,
                T,
                T,
                3);
    }

    private static UriInfo uri(String path) {
        UriInfo uri = mock(UriInfo.class);
        when(uri.getAbsolutePathBuilder()).thenReturn(UriBuilder.fromUri("http://localhost:8181/api/" + path));
        return uri;
    }

    private static List<Method> endpoints(Class<?> type) {
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(GET.class)
                    || m.isAnnotationPresent(POST.class)
                    || m.isAnnotationPresent(PUT.class)
                    || m.isAnnotationPresent(PATCH.class)
                    || m.isAnnotationPresent(DELETE.class)) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void everyEndpointDeclaresAProjectsRightReadsTheReadRightAndWritesAManageRight() {
        Map<Class<?>, String> writes = Map.of(
                InstitutionResource.class, ProjectRights.PROJECT_MANAGE,
                InvestigatorResource.class, ProjectRights.PROJECT_MANAGE,
                ProjectResource.class, ProjectRights.PROJECT_MANAGE,
                ParticipantResource.class, ProjectRights.PARTICIPANT_MANAGE,
                RelationResource.class, ProjectRights.PARTICIPANT_MANAGE);
        int count = 0;
        for (Map.Entry<Class<?>, String> e : writes.entrySet()) {
            for (Method m : endpoints(e.getKey())) {
                count++;
                Declarations.Need need =
                        Declarations.of(m).orElseThrow(() -> new AssertionError(m + " declares nothing"));
                String expected = m.isAnnotationPresent(GET.class) ? ProjectRights.PROJECT_READ : e.getValue();
                assertThat(need)
                        .as(e.getKey().getSimpleName() + "." + m.getName())
                        .isEqualTo(new Declarations.RightNeed(expected));
            }
        }
        assertThat(count).isEqualTo(4 + 5 + 10 + 12 + 4);
    }

    @Test
    void projectListDecodesFiltersAndRefusesBadOnesNamingTheParameter() {
        when(projects.list(any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
        projectResource.list("12", "active, INACTIVE", "false", "gen", "5", "10", "-start_date", security);
        ArgumentCaptor<ProjectQuery> q = ArgumentCaptor.forClass(ProjectQuery.class);
        verify(projects).list(eq(caller), q.capture());
        assertThat(q.getValue())
                .isEqualTo(new ProjectQuery(
                        12L,
                        Set.of(ProjectStatus.ACTIVE, ProjectStatus.INACTIVE),
                        false,
                        "gen",
                        new PageRequest(5, 10, List.of(new Sort("start_date", true)))));

        assertThatThrownBy(() -> projectResource.list("x", "OPEN", "maybe", null, "0", null, "secret", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("institution_id", "status", "active", "limit", "ordering"));
    }

    @Test
    void createAnswers201WithLocationAndETag() {
        NewProject body = new NewProject(2, 3, "P1", "Project", null, null, LocalDate.of(2025, 1, 1), null);
        when(projects.create(caller, body)).thenReturn(project(9, 1));
        Response r = projectResource.create(body, uri("projects/projects"), security);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/projects/projects/9"));
        assertThat(r.getEntityTag().getValue()).isEqualTo("1");
    }

    @Test
    void idsThatAreNotPositiveNumbersAre404WithoutCallingTheService() {
        for (String id : List.of("0", "-1", "abc", "1e3")) {
            assertThatThrownBy(() -> projectResource.get(id, security))
                    .isInstanceOfSatisfying(
                            KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
            assertThatThrownBy(() -> participantResource.get("7", id, security))
                    .isInstanceOfSatisfying(
                            KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        }
        verifyNoInteractions(projects, participants);
    }

    @Test
    void aFileUploadPassesTheRawBodyWithItsLengthAndDeclaredChecksum() throws Exception {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.CONTENT_LENGTH)).thenReturn("11");
        when(headers.getMediaType()).thenReturn(MediaType.valueOf("application/pdf"));
        InputStream body = new ByteArrayInputStream("%PDF-1.7 x".getBytes(StandardCharsets.US_ASCII));
        ProjectFile stored =
                new ProjectFile(5, 9, "sop.pdf", FileCategory.PROTOCOLS, "application/pdf", 11, SHA, T, "u");
        when(projects.addFile(eq(caller), eq(9L), eq("sop.pdf"), eq(FileCategory.PROTOCOLS), any()))
                .thenReturn(stored);

        Response r = projectResource.addFile(
                "9", "sop.pdf", "protocols", SHA, body, headers, uri("projects/projects/9/files"), security);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/projects/projects/9/files/5"));
        ArgumentCaptor<Upload> upload = ArgumentCaptor.forClass(Upload.class);
        verify(projects).addFile(eq(caller), eq(9L), eq("sop.pdf"), eq(FileCategory.PROTOCOLS), upload.capture());
        assertThat(upload.getValue().length()).isEqualTo(11);
        assertThat(upload.getValue().sha256()).isEqualTo(SHA);
        assertThat(upload.getValue().contentType()).isEqualTo("application/pdf");
        assertThat(upload.getValue().data()).isSameAs(body);

        assertThatThrownBy(
                        () -> projectResource.addFile("9", "sop.pdf", "misc", null, body, headers, uri("x"), security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("category"));
    }

    @Test
    void aDownloadStreamsWithTypeLengthDispositionAndDigest() throws Exception {
        byte[] bytes = "%PDF-1.7".getBytes(StandardCharsets.US_ASCII);
        String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        when(consents.document(caller, 7, 1))
                .thenReturn(new Download(
                        "żółw \"consent\".pdf", "application/pdf", bytes.length, sha, new ByteArrayInputStream(bytes)));
        Response r = participantResource.document("7", "1", security);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).isEqualTo("application/pdf");
        assertThat(r.getHeaderString(HttpHeaders.CONTENT_LENGTH)).isEqualTo(Integer.toString(bytes.length));
        assertThat(r.getHeaderString("Content-Disposition"))
                .isEqualTo("attachment; filename=\"___w _consent_.pdf\"; filename*=UTF-8''%C5%BC%C3%B3%C5%82w%20"
                        + "%22consent%22.pdf");
        assertThat(r.getHeaderString("Digest")).isEqualTo("sha-256=n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
        assertThat(r.getEntityTag().getValue()).isEqualTo(sha);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(out);
        assertThat(out.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void participantListDecodesConsentAndActiveFilters() {
        when(participants.list(any(), anyLong(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
        participantResource.list("7", "NA12", "true", "given,expired", null, null, "-created_at", security);
        ArgumentCaptor<ParticipantQuery> q = ArgumentCaptor.forClass(ParticipantQuery.class);
        verify(participants).list(eq(caller), eq(7L), q.capture());
        assertThat(q.getValue())
                .isEqualTo(new ParticipantQuery(
                        "NA12",
                        true,
                        Set.of(ConsentState.GIVEN, ConsentState.EXPIRED),
                        new PageRequest(20, 0, List.of(new Sort("created_at", true)))));
        assertThatThrownBy(() -> participantResource.list("7", null, null, "signed", null, null, "last_name", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("consent", "ordering"));
    }

    @Test
    void aParticipantReplaceCarriesIfMatch() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("\"3\"");
        when(participants.replace(eq(caller), eq(7L), eq(1L), any(), eq(OptionalLong.of(3))))
                .thenReturn(participant(1));
        Response r = participantResource.replace("7", "1", null, headers, security);
        assertThat(r.getEntityTag().getValue()).isEqualTo("3");
    }

    @Test
    void exportStreamsCsvAndSaysWhetherItIsPseudonymised() throws Exception {
        when(participants.exportCsv(caller, 7)).thenReturn(new ParticipantExport() {
            @Override
            public boolean pseudonymized() {
                return true;
            }

            @Override
            public String fileName() {
                return "P1-participants-pseudonymized.csv";
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                out.write("pseudonym\r\nPSN-X\r\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        Response r = participantResource.export("7", security);
        assertThat(r.getMediaType().toString()).startsWith("text/csv");
        assertThat(r.getHeaderString("X-Pseudonymized")).isEqualTo("true");
        assertThat(r.getHeaderString("Content-Disposition")).contains("P1-participants-pseudonymized.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pseudonym\r\nPSN-X\r\n");

        InputStream csv = new ByteArrayInputStream(new byte[0]);
        when(imports.start(caller, 7, csv)).thenReturn(new ImportStart(new ImportReport(2, 1), null));
        Response now =
                participantResource.importCsv("7", csv, uri("projects/projects/7/participants/import"), security);
        assertThat(now.getStatus()).isEqualTo(200);
        assertThat(now.getEntity()).isEqualTo(new ImportReport(2, 1));
        // a file of more than 10,000 rows: 202 and the platform job that imports it
        InputStream big = new ByteArrayInputStream(new byte[0]);
        when(imports.start(caller, 7, big)).thenReturn(new ImportStart(null, 42L));
        UriInfo base = mock(UriInfo.class);
        when(base.getBaseUriBuilder()).thenReturn(UriBuilder.fromUri("http://localhost:8181/api/"));
        Response queued = participantResource.importCsv("7", big, base, security);
        assertThat(queued.getStatus()).isEqualTo(202);
        assertThat(queued.getLocation()).hasToString("http://localhost:8181/api/jobs/42");
        assertThat(((ImportStart) queued.getEntity()).jobId()).isEqualTo(42L);
    }
}
