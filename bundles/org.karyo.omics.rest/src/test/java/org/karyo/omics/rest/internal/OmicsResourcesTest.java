package org.karyo.omics.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.core.HttpHeaders;
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
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactDataService;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.ArtifactService;
import org.karyo.omics.api.ArtifactState;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.HtsgetUrl;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.RecordFormat;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadResult;
import org.karyo.omics.api.UploadService;
import org.karyo.omics.api.UploadState;
import org.mockito.ArgumentCaptor;

class OmicsResourcesTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private static final String SHA = "a".repeat(64);

    private final UploadService uploadService = mock(UploadService.class);
    private final ArtifactService artifactService = mock(ArtifactService.class);
    private final ArtifactDataService dataService = mock(ArtifactDataService.class);
    private final UploadResource uploads = new UploadResource(uploadService);
    private final JobResource jobs = new JobResource(uploadService);
    private final ArtifactResource artifacts = new ArtifactResource(artifactService, dataService);
    private final HtsgetResource htsget = new HtsgetResource(dataService);
    private final Caller caller = mock(Caller.class);
    private final SecurityContext security = mock(SecurityContext.class);

    OmicsResourcesTest() {
        when(security.getUserPrincipal()).thenReturn(caller);
    }

    private static Upload upload(long id) {
        return new Upload(
                id,
                1,
                null,
                ArtifactKind.VCF,
                "x.vcf",
                10,
                SHA,
                "k",
                Assembly.GRCH38,
                null,
                null,
                false,
                5L << 20,
                1,
                List.of(),
                UploadState.RECEIVING,
                null,
                "alice",
                T,
                T.plusSeconds(3600));
    }

    private static Artifact artifact(long id, long version) {
        ArtifactMetadata m = new ArtifactMetadata(
                "VCFv4.2", List.of("S1"), List.of(), List.of(), List.of(), List.of(), 3, null, null);
        return new Artifact(
                id,
                1,
                null,
                "x.vcf",
                ArtifactKind.VCF,
                Compression.BGZF,
                IndexType.TBI,
                Assembly.GRCH38,
                Map.of(),
                SHA,
                10,
                SHA,
                "b".repeat(32),
                12,
                null,
                null,
                m,
                ArtifactState.AVAILABLE,
                3,
                "alice",
                T,
                T,
                version);
    }

    private static UriInfo uri(String absolute) {
        UriInfo uri = mock(UriInfo.class);
        when(uri.getAbsolutePathBuilder()).thenReturn(UriBuilder.fromUri(absolute));
        when(uri.getBaseUriBuilder()).thenReturn(UriBuilder.fromUri("http://localhost:8181/api/"));
        return uri;
    }

    @Test
    void everyEndpointDeclaresItsRight() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("UploadResource.create", "omics.upload"),
                Map.entry("UploadResource.list", "omics.upload"),
                Map.entry("UploadResource.get", "omics.upload"),
                Map.entry("UploadResource.putPart", "omics.upload"),
                Map.entry("UploadResource.presign", "omics.upload"),
                Map.entry("UploadResource.partUrl", "omics.upload"),
                Map.entry("UploadResource.putIndex", "omics.upload"),
                Map.entry("UploadResource.complete", "omics.upload"),
                Map.entry("UploadResource.abort", "omics.upload"),
                Map.entry("JobResource.list", "omics.upload"),
                Map.entry("JobResource.get", "omics.upload"),
                Map.entry("ArtifactResource.list", "omics.read"),
                Map.entry("ArtifactResource.get", "omics.read"),
                Map.entry("ArtifactResource.update", "omics.upload"),
                Map.entry("ArtifactResource.delete", "omics.manage"),
                Map.entry("ArtifactResource.records", "omics.read"),
                Map.entry("ArtifactResource.download", "omics.read_genotypes"),
                Map.entry("ArtifactResource.putQc", "omics.upload"),
                Map.entry("ArtifactResource.qc", "omics.read"),
                Map.entry("HtsgetResource.ticket", "omics.read_genotypes"));
        int endpoints = 0;
        for (Class<?> type :
                List.of(UploadResource.class, JobResource.class, ArtifactResource.class, HtsgetResource.class)) {
            for (Method m : type.getMethods()) {
                boolean endpoint = Arrays.asList(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class).stream()
                        .anyMatch(m::isAnnotationPresent);
                if (!endpoint) {
                    continue;
                }
                endpoints++;
                String name = type.getSimpleName() + "." + m.getName();
                Declarations.Need need =
                        Declarations.of(m).orElseThrow(() -> new AssertionError(name + " declares nothing"));
                assertThat(need).as(name).isEqualTo(new Declarations.RightNeed(expected.get(name)));
            }
        }
        assertThat(endpoints).isEqualTo(expected.size());
    }

    @Test
    void startingAnUploadAnswers201AndARetry200WithTheSameLocation() {
        NewUpload body = new NewUpload(1L, ArtifactKind.VCF, 10L, SHA, "k", "x.vcf", Assembly.GRCH38, null, null, null);
        when(uploadService.create(caller, body)).thenReturn(new UploadResult(upload(5), true));
        Response created = uploads.create(body, uri("http://localhost:8181/api/omics/uploads"), security);
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(created.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/omics/uploads/5"));

        when(uploadService.create(caller, body)).thenReturn(new UploadResult(upload(5), false));
        Response retried = uploads.create(body, uri("http://localhost:8181/api/omics/uploads"), security);
        assertThat(retried.getStatus()).isEqualTo(200);
        assertThat(retried.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/omics/uploads/5"));
        assertThat(retried.getEntity()).isEqualTo(upload(5));
    }

    @Test
    void aPartIsStreamedToTheServiceWithItsNumberAndLength() {
        InputStream body = new ByteArrayInputStream(new byte[10]);
        UploadPart part = new UploadPart(2, 10, "etag", T);
        when(uploadService.putPart(caller, 5, 2, body, 10)).thenReturn(part);
        assertThat(uploads.putPart("5", "2", "10", body, security)).isEqualTo(part);

        assertThatThrownBy(() -> uploads.putPart("5", "0", "10", body, security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("part"));
        assertThatThrownBy(() -> uploads.putPart("5", "x", "10", body, security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("part"));
        assertThatThrownBy(() -> uploads.putPart("5", "1", "ten", body, security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("Content-Length"));
        assertThatThrownBy(() -> uploads.putPart("abc", "1", "10", body, security))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        uploads.putPart("5", "3", null, body, security);
        verify(uploadService).putPart(caller, 5, 3, body, -1);
    }

    @Test
    void completingAnswers202WithTheJobsLocation() {
        Job job = new Job(9, 5, 1, JobState.RECEIVED, null, null, null, 0, T, null, null);
        when(uploadService.complete(caller, 5)).thenReturn(job);
        Response r = uploads.complete("5", uri("http://localhost:8181/api/omics/uploads/5/complete"), security);
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/omics/jobs/9"));
        assertThat(r.getEntity()).isEqualTo(job);
        assertThat(uploads.abort("5", security).getStatus()).isEqualTo(204);
        verify(uploadService).abort(caller, 5);
    }

    @Test
    void listsParseTheirFiltersAndReportEveryBadOneWithoutCallingTheService() {
        when(uploadService.list(any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
        uploads.list("1,2", "5", "10", "-id", security);
        ArgumentCaptor<ListQuery> q = ArgumentCaptor.forClass(ListQuery.class);
        verify(uploadService).list(eq(caller), q.capture());
        assertThat(q.getValue().projects()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(q.getValue().page().limit()).isEqualTo(5);

        ArtifactService fresh = mock(ArtifactService.class);
        ArtifactResource r = new ArtifactResource(fresh, dataService);
        assertThatThrownBy(() -> r.list("x", "VCF,BAM", "-3", null, "many", null, "size", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("project", "kind", "participant", "limit", "ordering"));
        assertThatThrownBy(() -> jobs.list(null, null, null, "state", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("ordering"));
        verifyNoInteractions(fresh);
    }

    @Test
    void anArtifactAnswersWithItsVersionAsETagAndAPatchTellsAbsentFromNull() {
        when(artifactService.get(caller, 7)).thenReturn(artifact(7, 3));
        Response got = artifacts.get("7", security);
        assertThat(got.getEntityTag().getValue()).isEqualTo("3");

        ArtifactPatchBody body = new ArtifactPatchBody();
        body.setRepository(null);
        body.setParticipant(4L);
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("\"3\"");
        when(artifactService.update(eq(caller), eq(7L), any(), eq(OptionalLong.of(3))))
                .thenReturn(artifact(7, 4));
        Response patched = artifacts.update("7", body, headers, security);
        assertThat(patched.getEntityTag().getValue()).isEqualTo("4");
        ArgumentCaptor<ArtifactPatch> p = ArgumentCaptor.forClass(ArtifactPatch.class);
        verify(artifactService).update(eq(caller), eq(7L), p.capture(), eq(OptionalLong.of(3)));
        assertThat(p.getValue().assembly()).isEmpty();
        assertThat(p.getValue().repository()).contains(Optional.empty());
        assertThat(p.getValue().participant()).contains(Optional.of(4L));

        ArtifactPatchBody nullAssembly = new ArtifactPatchBody();
        nullAssembly.setAssembly(null);
        assertThatThrownBy(() -> artifacts.update("7", nullAssembly, headers, security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("assembly"));
        ArtifactPatchBody repo = new ArtifactPatchBody();
        repo.setRepository(new RepositoryRef(RepositoryName.EGA, "EGAF00001234567"));
        assertThat(repo.toPatch().repository())
                .contains(Optional.of(new RepositoryRef(RepositoryName.EGA, "EGAF00001234567")));
    }

    @Test
    void recordsStreamWhatTheServiceWritesWithItsMediaType() throws IOException {
        RecordStream stream = new RecordStream() {
            @Override
            public String mediaType() {
                return "text/vcf";
            }

            @Override
            public List<String> samples() {
                return List.of();
            }

            @Override
            public long writeTo(OutputStream out) throws IOException {
                out.write("chr1\t1\n".getBytes(StandardCharsets.UTF_8));
                return 1;
            }
        };
        when(dataService.records(eq(caller), eq(7L), any())).thenReturn(stream);
        Response r = artifacts.records("7", List.of("chr1:1-10", "chr2"), "S1, S2", null, security);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).isEqualTo("text/vcf");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("chr1\t1\n");
        ArgumentCaptor<RecordsRequest> q = ArgumentCaptor.forClass(RecordsRequest.class);
        verify(dataService).records(eq(caller), eq(7L), q.capture());
        assertThat(q.getValue().regions()).containsExactly("chr1:1-10", "chr2");
        assertThat(q.getValue().samples()).containsExactly("S1", "S2");
        assertThat(q.getValue().format()).isNull();

        artifacts.records("7", List.of("chr1"), "", "JSON", security);
        artifacts.records("7", List.of("chr1"), null, "vcf", security);
        verify(dataService).records(caller, 7L, new RecordsRequest(List.of("chr1"), List.of(), RecordFormat.JSON));
        verify(dataService).records(caller, 7L, new RecordsRequest(List.of("chr1"), null, RecordFormat.VCF));
        assertThatThrownBy(() -> artifacts.records("7", List.of("chr1"), null, "bam", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("format"));
    }

    @Test
    void aDownloadIsA303WithTheChecksumsInTheHeaders() {
        String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // sha256("test")
        Download d = new Download(
                URI.create("http://storage/x?sig=1"), "x.vcf.gz", 4, sha, "098f6bcd4621d373cade4e832627b4f6", T);
        when(dataService.download(caller, 7)).thenReturn(d);
        Response r = artifacts.download("7", security);
        assertThat(r.getStatus()).isEqualTo(303);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://storage/x?sig=1"));
        String b64 = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
        assertThat(r.getHeaderString("Digest")).isEqualTo("sha-256=" + b64);
        assertThat(r.getHeaderString("Repr-Digest")).isEqualTo("sha-256=:" + b64 + ":");
        assertThat(r.getHeaderString("X-Checksum-SHA256")).isEqualTo(sha);
        assertThat(r.getHeaderString("X-Checksum-MD5")).isEqualTo("098f6bcd4621d373cade4e832627b4f6");
        assertThat(r.getEntityTag().getValue()).isEqualTo(sha);
    }

    @Test
    void aQcFileIsStreamedWithItsTypeAndLength() {
        InputStream body = new ByteArrayInputStream(new byte[3]);
        when(artifactService.putQcMetrics(caller, 7, "qc.csv", "text/csv", body, 3))
                .thenReturn(artifact(7, 2));
        assertThat(artifacts
                        .putQc("7", "qc.csv", "text/csv", "3", body, security)
                        .getStatus())
                .isEqualTo(200);
    }

    @Test
    void anHtsgetTicketHasTheSpecsShape() {
        HtsgetTicket ticket = new HtsgetTicket(
                "VCF",
                List.of(
                        new HtsgetUrl("data:;base64,AAAA", Map.of(), "header"),
                        new HtsgetUrl("http://storage/x", Map.of("Range", "bytes=0-99"), "body")));
        when(dataService.htsget(caller, 7, new HtsgetRequest(null, null, "chr1", 0L, 100L)))
                .thenReturn(ticket);
        Response r = htsget.ticket("7", null, null, "chr1", "0", "100", security);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).isEqualTo("application/vnd.ga4gh.htsget.v1.3.0+json");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) r.getEntity()).get("htsget");
        assertThat(body.get("format")).isEqualTo("VCF");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> urls = (List<Map<String, Object>>) body.get("urls");
        assertThat(urls.get(0)).containsEntry("url", "data:;base64,AAAA").containsEntry("class", "header");
        assertThat(urls.get(0)).doesNotContainKey("headers");
        assertThat(urls.get(1))
                .containsEntry("headers", Map.of("Range", "bytes=0-99"))
                .containsEntry("class", "body");
    }

    @Test
    void theDocumentedHtsgetTicketIsTheShapeWritten() {
        HtsgetTicket ticket = new HtsgetTicket(
                "VCF",
                List.of(
                        new HtsgetUrl("data:;base64,AAAA", Map.of("X-A", "1"), "header"),
                        new HtsgetUrl("http://storage/x", Map.of("Range", "bytes=0-99"), "body")));
        HtsgetResource.HtsgetTicketResponse documented =
                new HtsgetResource.HtsgetTicketResponse(new HtsgetResource.HtsgetTicketBody(
                        "VCF",
                        List.of(
                                new HtsgetResource.HtsgetTicketUrl("data:;base64,AAAA", Map.of("X-A", "1"), "header"),
                                new HtsgetResource.HtsgetTicketUrl(
                                        "http://storage/x", Map.of("Range", "bytes=0-99"), "body"))));
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.valueToTree(HtsgetResource.body(ticket));
        JsonNode described = json.valueToTree(documented);
        assertThat(described).isEqualTo(written);
    }

    @Test
    void htsgetErrorsUseHtsgetsShapeAndStatus() {
        assertHtsgetError(
                new KaryoException(
                        Kind.INVALID,
                        "invalid-range",
                        "start after end",
                        List.of(new FieldError("end", "x")),
                        null,
                        null),
                400,
                "InvalidRange");
        assertHtsgetError(KaryoException.notFound("artifact", 7), 404, "NotFound");
        assertHtsgetError(KaryoException.forbidden("consent"), 403, "PermissionDenied");
        assertHtsgetError(KaryoException.invalid("format", "only VCF"), 400, "UnsupportedFormat");
        // a file htsget does not serve (BCF, BED) is 422, as the README says of BCF
        assertHtsgetError(
                new KaryoException(Kind.UNPROCESSABLE, "htsget-unsupported-format", "BED", null, null, null),
                422,
                "UnsupportedFormat");
        assertHtsgetError(KaryoException.invalid("referenceName", "needed"), 400, "InvalidInput");

        Response bad = htsget.ticket("7", null, null, "chr1", "x", null, security);
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(errorOf(bad)).isEqualTo("InvalidInput");
        Response unknown = htsget.ticket("abc", null, null, null, null, null, security);
        assertThat(unknown.getStatus()).isEqualTo(404);
    }

    private void assertHtsgetError(KaryoException e, int status, String error) {
        ArtifactDataService s = mock(ArtifactDataService.class);
        when(s.htsget(any(), anyLong(), any())).thenThrow(e);
        Response r = new HtsgetResource(s).ticket("7", null, null, null, null, null, security);
        assertThat(r.getStatus()).as(error).isEqualTo(status);
        assertThat(errorOf(r)).isEqualTo(error);
    }

    @SuppressWarnings("unchecked")
    private static String errorOf(Response r) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) r.getEntity()).get("htsget")).get("error");
    }

    @Test
    void aPresignedPartUrlCanBeAskedByPostOrGet() {
        when(uploadService.presignPart(eq(caller), eq(5L), anyInt()))
                .thenReturn(new org.karyo.omics.api.PartUrl(1, URI.create("http://s/p"), "PUT", 10, T));
        assertThat(uploads.presign("5", "1", security).url()).isEqualTo(URI.create("http://s/p"));
        assertThat(uploads.partUrl("5", "1", security).url()).isEqualTo(URI.create("http://s/p"));
        when(artifactService.list(any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
        artifacts.list(null, "VCF", "3", "S1", null, null, null, security);
        ArgumentCaptor<ArtifactQuery> q = ArgumentCaptor.forClass(ArtifactQuery.class);
        verify(artifactService).list(eq(caller), q.capture());
        assertThat(q.getValue().kinds()).containsExactly(ArtifactKind.VCF);
        assertThat(q.getValue().participant()).isEqualTo(3L);
        assertThat(q.getValue().sample()).isEqualTo("S1");
    }
}
