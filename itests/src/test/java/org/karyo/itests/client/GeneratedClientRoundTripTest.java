package org.karyo.itests.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.itests.client.api.AccessesApi;
import org.karyo.itests.client.api.AuditApi;
import org.karyo.itests.client.api.AuthApi;
import org.karyo.itests.client.api.JobsApi;
import org.karyo.itests.client.api.MaintenancesApi;
import org.karyo.itests.client.api.ModulesApi;
import org.karyo.itests.client.api.OmicsApi;
import org.karyo.itests.client.api.ProjectsApi;
import org.karyo.itests.client.api.TasksApi;
import org.karyo.itests.client.api.UsersApi;
import org.karyo.itests.client.api.WebcontentApi;
import org.karyo.itests.client.invoker.ApiClient;
import org.karyo.itests.client.invoker.ApiException;
import org.karyo.itests.client.invoker.ApiResponse;
import org.karyo.itests.client.model.AccessJson;
import org.karyo.itests.client.model.Artifact;
import org.karyo.itests.client.model.Assembly;
import org.karyo.itests.client.model.Consent;
import org.karyo.itests.client.model.ConsentUpdate;
import org.karyo.itests.client.model.Content;
import org.karyo.itests.client.model.ContentPatch;
import org.karyo.itests.client.model.Institution;
import org.karyo.itests.client.model.Investigator;
import org.karyo.itests.client.model.LoginBody;
import org.karyo.itests.client.model.ModuleInfo;
import org.karyo.itests.client.model.NewAccessBody;
import org.karyo.itests.client.model.NewContent;
import org.karyo.itests.client.model.NewInstitution;
import org.karyo.itests.client.model.NewInvestigator;
import org.karyo.itests.client.model.NewParticipant;
import org.karyo.itests.client.model.NewPerimeterBody;
import org.karyo.itests.client.model.NewProject;
import org.karyo.itests.client.model.NewUpload;
import org.karyo.itests.client.model.NewUserBody;
import org.karyo.itests.client.model.OmicsJob;
import org.karyo.itests.client.model.PageOfAccessJson;
import org.karyo.itests.client.model.PageOfAuditEntry;
import org.karyo.itests.client.model.PageOfContent;
import org.karyo.itests.client.model.PageOfJob;
import org.karyo.itests.client.model.PageOfMaintenancePhase;
import org.karyo.itests.client.model.PageOfProjectFile;
import org.karyo.itests.client.model.PageOfTaskInfo;
import org.karyo.itests.client.model.Participant;
import org.karyo.itests.client.model.PerimeterJson;
import org.karyo.itests.client.model.Problem;
import org.karyo.itests.client.model.Project;
import org.karyo.itests.client.model.ProjectFile;
import org.karyo.itests.client.model.RoleBody;
import org.karyo.itests.client.model.RoleJson;
import org.karyo.itests.client.model.TaskInfo;
import org.karyo.itests.client.model.Upload;
import org.karyo.itests.client.model.UploadPart;
import org.karyo.itests.support.Genomics;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * The platform driven only through the Java client that OpenAPI Generator builds from the committed
 * {@code docs/openapi.json} (generator {@code java}, library {@code native}): a login, then a round trip through every
 * module, with the typed errors (409, 412) a client of the document sees. Plain HTTP is used only where the document
 * sends the client elsewhere: the object-store URL of a 303.
 */
@ExtendWith(SharedPlatform.class)
class GeneratedClientRoundTripTest {
    /** Renews the administrator's token well within the test platforms' access-token lifetime. */
    private static final Duration TOKEN_RENEWAL = Platform.ACCESS_TOKEN_TTL.dividedBy(2);

    private static final HttpClient OBJECT_STORE = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ApiClient client;
    private String token;
    private long tokenSince;

    /** A client on the platform's API, logged in as the administrator through the generated login operation. */
    @BeforeEach
    void logIn(Platform platform) {
        String base = platform.api().base().toString();
        ApiClient anonymous = new ApiClient();
        anonymous.updateBaseUri(base);
        AuthApi auth = new AuthApi(anonymous);
        client = new ApiClient();
        client.updateBaseUri(base);
        // the native library has no security-scheme support: the bearer token goes on every request through the
        // client's request interceptor, renewed before it expires
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token(auth)));
    }

    private synchronized String token(AuthApi auth) {
        if (token == null || System.nanoTime() - tokenSince > TOKEN_RENEWAL.toNanos()) {
            try {
                token = auth.login(new LoginBody().username(Platform.ADMIN).password(Platform.ADMIN_PASSWORD))
                        .getAccessToken();
            } catch (ApiException e) {
                throw new IllegalStateException("login failed: " + e.getCode() + " " + e.getResponseBody(), e);
            }
            tokenSince = System.nanoTime();
        }
        return token;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** The RFC 9457 problem an error answer carries, read with the client's own mapper. */
    private Problem problem(ApiException e) {
        assertThat(e.getResponseHeaders().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        try {
            return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    private static String etag(ApiResponse<?> response) {
        List<String> etags = response.getHeaders().get("etag");
        assertThat(etags).as("ETag of %s", response.getData()).hasSize(1);
        return etags.get(0);
    }

    @Test
    void contentIsCreatedReadPagedUpdatedWithIfMatchAndDeleted() throws Exception {
        WebcontentApi contents = new WebcontentApi(client);
        String t = unique("gc");
        for (String suffix : List.of("-a", "-b", "-c")) {
            contents.createContent(new NewContent()
                    .title(t + suffix)
                    .content("body of " + t + suffix)
                    .page("home")
                    .contentType(NewContent.ContentTypeEnum.BANNER_INFO));
        }
        Content created = contents.createContent(new NewContent()
                .title(t + "-d")
                .content("body")
                .page("home")
                .contentType(NewContent.ContentTypeEnum.RELEASE_NOTE)
                .metadata(Map.of("order", "1")));
        assertThat(created.getId()).isPositive();
        assertThat(created.getContentType()).isEqualTo(Content.ContentTypeEnum.RELEASE_NOTE);

        ApiResponse<Content> read = contents.getContentWithHttpInfo(created.getId());
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(read.getData().getTitle()).isEqualTo(t + "-d");
        String etag = etag(read);

        // paging with integer limit and offset
        PageOfContent page = contents.listContents(null, null, t, 2, 1, "title");
        assertThat(page.getCount()).isEqualTo(4);
        assertThat(page.getLimit()).isEqualTo(2);
        assertThat(page.getOffset()).isEqualTo(1);
        assertThat(page.getResults()).extracting(Content::getTitle).containsExactly(t + "-b", t + "-c");

        ApiResponse<Content> updated =
                contents.updateContentWithHttpInfo(created.getId(), new ContentPatch().title(t + "-d2"), etag);
        assertThat(updated.getData().getTitle()).isEqualTo(t + "-d2");
        assertThat(updated.getData().getMetadata()).containsEntry("order", "1");
        String newEtag = etag(updated);
        assertThat(newEtag).isNotEqualTo(etag);

        // a stale If-Match: a typed 412 with its problem, and nothing changed
        ApiException stale = catchThrowableOfType(
                ApiException.class,
                () -> contents.updateContent(created.getId(), new ContentPatch().title("lost update"), etag));
        assertThat(stale.getCode()).isEqualTo(412);
        Problem p = problem(stale);
        assertThat(p.getStatus()).isEqualTo(412);
        assertThat(p.getType()).isNotBlank();
        assertThat(p.getTitle()).isNotBlank();
        assertThat(contents.getContent(created.getId()).getTitle()).isEqualTo(t + "-d2");

        contents.deleteContent(created.getId(), newEtag);
        ApiException gone = catchThrowableOfType(ApiException.class, () -> contents.getContent(created.getId()));
        assertThat(gone.getCode()).isEqualTo(404);
        assertThat(problem(gone).getStatus()).isEqualTo(404);
    }

    @Test
    void aPerimeterARoleAndAnAccessAndTheSameAccessTwiceIsATypedConflict() throws Exception {
        AccessesApi accesses = new AccessesApi(client);
        String name = unique("gc-");
        new UsersApi(client)
                .createUser(new NewUserBody()
                        .username(name)
                        .firstname("Generated")
                        .lastname("Client")
                        .email(name + "@hospital.example.org"));
        PerimeterJson perimeter = accesses.createPerimeter(
                new NewPerimeterBody().localId(name).name("Unit " + name).typeSourceValue("institution"));
        assertThat(accesses.getPerimeter(perimeter.getId()).getLocalId()).isEqualTo(name);
        RoleJson role =
                accesses.createRole(new RoleBody().name(name).rights(List.of("accesses.read_patient_pseudonymized")));
        assertThat(role.getName()).isEqualTo(name);

        NewAccessBody grant =
                new NewAccessBody().username(name).roleId(role.getId()).perimeterId(perimeter.getId());
        AccessJson access = accesses.createAccess(grant);
        assertThat(access.getUsername()).isEqualTo(name);
        assertThat(access.getIsValid()).isTrue();
        assertThat(accesses.getAccess(access.getId()).getRole().getId()).isEqualTo(role.getId());
        PageOfAccessJson listed =
                accesses.listAccesses(perimeter.getId(), null, null, null, null, null, null, null, 10, 0);
        assertThat(listed.getResults()).extracting(AccessJson::getId).containsExactly(access.getId());

        ApiException conflict = catchThrowableOfType(ApiException.class, () -> accesses.createAccess(grant));
        assertThat(conflict.getCode()).isEqualTo(409);
        Problem p = problem(conflict);
        assertThat(p.getStatus()).isEqualTo(409);
        assertThat(p.getType()).isNotBlank();
        assertThat(p.getTitle()).isNotBlank();
        assertThat(p.getDetail()).contains("access " + access.getId());
    }

    /** An institution, its investigator and an active project. */
    private Project project(ProjectsApi projects) throws ApiException {
        String code = unique("GC").toUpperCase(java.util.Locale.ROOT);
        Institution institution =
                projects.createInstitution(new NewInstitution().code(code).name("Institution " + code));
        Investigator investigator = projects.createInvestigator(new NewInvestigator()
                .institutionId(institution.getId())
                .firstName("Ada")
                .lastName("Investigator")
                .email(code.toLowerCase(java.util.Locale.ROOT) + "@example.org"));
        return projects.createProject(new NewProject()
                .institutionId(institution.getId())
                .investigatorId(investigator.getId())
                .code(code.substring(0, 8))
                .name("Project " + code)
                .status(NewProject.StatusEnum.ACTIVE)
                .startDate(LocalDate.parse("2026-01-01")));
    }

    /** A participant whose sample is {@code sample}, with a signed consent form and a given consent. */
    private Participant consentingParticipant(ProjectsApi projects, Project project, String sample) throws Exception {
        Participant participant = projects.createParticipant(
                project.getId(),
                new NewParticipant()
                        .firstName("Jane")
                        .lastName("Doe " + sample)
                        .gender(NewParticipant.GenderEnum.FEMALE)
                        .birthDate(LocalDate.parse("1980-05-17"))
                        .sampleIds(List.of(sample)));
        Path form = Files.writeString(dir.resolve("consent-" + sample + ".pdf"), "%PDF-1.4\n% consent form\n");
        projects.uploadConsentDocument(project.getId(), participant.getId(), form.toFile(), "consent.pdf", null, null);
        return projects.replaceParticipantConsent(
                project.getId(),
                participant.getId(),
                new ConsentUpdate().status(ConsentUpdate.StatusEnum.GIVEN).givenOn(LocalDate.parse("2026-02-01")),
                null);
    }

    @Test
    void aProjectWithAParticipantAndAnUploadedFile() throws Exception {
        ProjectsApi projects = new ProjectsApi(client);
        Project project = project(projects);
        assertThat(project.getActive()).isTrue();
        Participant participant = consentingParticipant(projects, project, unique("S"));
        assertThat(participant.getConsent().getStatus()).isEqualTo(Consent.StatusEnum.GIVEN);
        assertThat(projects.getProject(project.getId()).getParticipantCount()).isEqualTo(1);

        byte[] bytes = "step,description\n1,consent\n".getBytes(StandardCharsets.US_ASCII);
        Path protocol = Files.write(dir.resolve("protocol.csv"), bytes);
        ProjectFile file = projects.createProjectFile(
                project.getId(), "protocol.csv", "PROTOCOLS", protocol.toFile(), Genomics.sha256(bytes));
        assertThat(file.getSize()).isEqualTo(bytes.length);
        assertThat(file.getSha256()).isEqualTo(Genomics.sha256(bytes));
        PageOfProjectFile files = projects.listProjectFiles(project.getId(), 10, 0, null);
        assertThat(files.getResults()).extracting(ProjectFile::getId).containsExactly(file.getId());
        java.io.File content = projects.downloadProjectFile(project.getId(), file.getId());
        assertThat(Files.readAllBytes(content.toPath())).isEqualTo(bytes);
    }

    @Test
    void anOmicsUploadInPartsCompletesWith202AndItsArtifactDownloadsThroughA303() throws Exception {
        ProjectsApi projects = new ProjectsApi(client);
        OmicsApi omics = new OmicsApi(client);
        Project project = project(projects);
        String sample = unique("NA");
        consentingParticipant(projects, project, sample);
        Path vcf = Genomics.vcf(dir.resolve("sample.vcf"), 300, List.of(sample), 11);
        byte[] bytes = Files.readAllBytes(vcf);

        Upload upload = omics.createUpload(new NewUpload()
                .project(project.getId())
                .kind(NewUpload.KindEnum.VCF)
                .size((long) bytes.length)
                .sha256(Genomics.sha256(bytes))
                .idempotencyKey(unique("gc-"))
                .fileName("sample.vcf")
                .assembly(
                        new Assembly().reference(Assembly.ReferenceEnum.GRCH38).name("GRCh38")));
        assertThat(upload.getPartCount()).isEqualTo(1);
        UploadPart part = omics.uploadPart(upload.getId(), 1L, vcf.toFile());
        assertThat(part.getSize()).isEqualTo(bytes.length);

        ApiResponse<OmicsJob> accepted = omics.completeUploadWithHttpInfo(upload.getId());
        assertThat(accepted.getStatusCode()).isEqualTo(202);
        OmicsJob job = awaitJob(omics, accepted.getData().getId());
        assertThat(job.getState()).as("%s", job).isEqualTo(OmicsJob.StateEnum.AVAILABLE);
        Artifact artifact = omics.getArtifact(job.getArtifactId());
        assertThat(artifact.getUploadSha256()).isEqualTo(Genomics.sha256(bytes));

        // the download is a 303 to the object store: the client, which follows no redirect, reports it with the
        // response's headers
        ApiException redirect =
                catchThrowableOfType(ApiException.class, () -> omics.downloadArtifact(artifact.getId()));
        assertThat(redirect.getCode()).isEqualTo(303);
        String location = redirect.getResponseHeaders().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> stored = OBJECT_STORE.send(
                HttpRequest.newBuilder(URI.create(location)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(Genomics.sha256(stored.body())).isEqualTo(artifact.getStoredSha256());
    }

    /** Polls the validation job until it ended, at most a minute. */
    private static OmicsJob awaitJob(OmicsApi omics, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            OmicsJob job = omics.getValidationJob(id);
            if (job.getState() != OmicsJob.StateEnum.RECEIVED && job.getState() != OmicsJob.StateEnum.VALIDATING) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s to end", id).isLessThan(deadline);
            Thread.sleep(100); // the poll's interval
        }
    }

    @Test
    void jobsTasksMaintenanceModulesAndAuditAreListed() throws Exception {
        PageOfTaskInfo tasks = new TasksApi(client).listTasks(100, 0);
        assertThat(tasks.getResults()).extracting(TaskInfo::getName).contains("jobs.prune");
        PageOfJob jobs = new JobsApi(client).listJobs(null, null, null, null, null, 5, 0, null);
        assertThat(jobs.getLimit()).isEqualTo(5);
        assertThat(jobs.getResults()).hasSizeLessThanOrEqualTo(5);

        PageOfMaintenancePhase phases =
                new MaintenancesApi(client).listMaintenances(10, 0, null, null, null, null, null, null);
        assertThat(phases.getLimit()).isEqualTo(10);
        assertThat(phases.getCount()).isNotNegative();

        List<ModuleInfo> modules = new ModulesApi(client).listModules();
        assertThat(modules)
                .filteredOn(ModuleInfo::getInstalled)
                .extracting(ModuleInfo::getFeature)
                .contains("karyo-content", "karyo-projects", "karyo-omics");

        PageOfAuditEntry audit =
                new AuditApi(client).listAuditEntries(null, null, null, null, null, null, null, 3, 0, null);
        assertThat(audit.getCount()).isPositive();
        assertThat(audit.getResults()).hasSize(3);
    }
}
