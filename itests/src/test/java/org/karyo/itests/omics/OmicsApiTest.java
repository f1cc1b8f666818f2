package org.karyo.itests.omics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.itests.support.Genomics.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Genomics;
import org.karyo.itests.support.SharedPlatform;

/**
 * A researcher's path through the omics API on the shared platform, whose objects live in a real S3 server (s3proxy
 * behind the MinIO store): a project with consenting and withdrawn participants, VCF uploads through Karyo and
 * straight to storage, region queries answered like Debian's {@code tabix}, consent, htsget, download, audit and
 * deletion.
 */
@ExtendWith(SharedPlatform.class)
class OmicsApiTest {
    private static final List<String> SAMPLES = List.of("NA001", "NA002", "NA003");
    private static final String[] REGIONS = {
        "chr1:1000000-1001000",
        "chr1:2000000-3000000",
        "chr2",
        "chrX:8000000",
        "chr1:100-200000",
        "chr1:5000000-5100000 chr2:100-300000"
    };

    @TempDir
    static Path dir;

    static Genomics.ProjectIds project;
    static Path vcf;
    static Path gz;
    static long plain;
    static long indexed;

    @BeforeAll
    static void aProjectWithTwoUploads(Api admin) throws Exception {
        project = Genomics.project(admin, "omics", null);
        Genomics.participant(admin, project.project(), "NA001", "GIVEN");
        Genomics.participant(admin, project.project(), "NA002", "GIVEN");
        vcf = Genomics.vcf(dir.resolve("cohort.vcf"), 30_000, SAMPLES, 7);
        gz = Genomics.bgzipAndIndex(vcf);

        JsonNode job = Genomics.upload(admin, project.project(), vcf, "VCF", null, false);
        assertThat(job.path("state").asText()).as("%s", job).isEqualTo("AVAILABLE");
        plain = job.path("artifact_id").asLong();
        job = Genomics.upload(admin, project.project(), gz, "VCF", gz.resolveSibling(gz.getFileName() + ".tbi"), true);
        assertThat(job.path("state").asText()).as("%s", job).isEqualTo("AVAILABLE");
        indexed = job.path("artifact_id").asLong();
    }

    private static String records(Api api, long artifact, String... regions) {
        StringBuilder q = new StringBuilder("/omics/artifacts/" + artifact + "/records?format=vcf");
        for (String r : regions) {
            q.append("&region=").append(java.net.URLEncoder.encode(r, StandardCharsets.UTF_8));
        }
        Api.Response r = api.get(q.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return Arrays.stream(r.body().split("\n"))
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l + "\n")
                .collect(Collectors.joining());
    }

    @Test
    void anUncompressedVcfIsStoredAsBgzfWithItsMetadataAndChecksums(Api admin) throws Exception {
        JsonNode a = ok(admin.get("/omics/artifacts/" + plain));
        assertThat(a.path("compression").asText()).isEqualTo("BGZF");
        assertThat(a.path("upload_sha256").asText()).isEqualTo(Genomics.sha256(vcf));
        assertThat(a.path("upload_size").asLong()).isEqualTo(Files.size(vcf));
        assertThat(a.path("metadata").path("records").asLong()).isEqualTo(30_000);
        assertThat(a.path("metadata").path("samples"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(SAMPLES);
        assertThat(a.path("metadata").path("contigs"))
                .extracting(
                        c -> c.path("name").asText() + "=" + c.path("records").asLong())
                .containsExactly("chr1=10000", "chr2=10000", "chrX=10000");

        // the stored object, fetched whole through its presigned link, is the upload compressed as BGZF
        Api.Response download = admin.get("/omics/artifacts/" + plain + "/download");
        assertThat(download.status()).as("%s", download).isEqualTo(303);
        HttpResponse<byte[]> file = Genomics.fetch(download.header("Location"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(Genomics.sha256(file.body()))
                .isEqualTo(a.path("stored_sha256").asText())
                .isEqualTo(download.header("X-Checksum-SHA256"));
        Path stored = dir.resolve("stored.vcf.gz");
        Files.write(stored, file.body());
        assertThat(Genomics.tool(dir, "bgzip", "-d", "-c", "stored.vcf.gz")).isEqualTo(Files.readAllBytes(vcf));
    }

    @Test
    void regionQueriesAnswerWhatTabixAnswersForBothUploads(Api admin) throws Exception {
        for (String region : REGIONS) {
            String[] regions = region.split(" ");
            String expected = Genomics.tabix(gz, regions);
            assertThat(records(admin, plain, regions))
                    .as("%s (built index)", region)
                    .isEqualTo(expected);
            assertThat(records(admin, indexed, regions))
                    .as("%s (uploaded index)", region)
                    .isEqualTo(expected);
        }
        assertThat(Genomics.tabix(gz, "chr2")).isNotEmpty();
        // a contig named by its alias
        assertThat(records(admin, plain, "2:4000000-4500000")).isEqualTo(Genomics.tabix(gz, "chr2:4000000-4500000"));
    }

    @Test
    void badRegionsAndBcfStyleRequestsAreClearErrors(Api admin) {
        Api.Response bad = admin.get("/omics/artifacts/" + plain + "/records?region=chr1:20-10");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("region");
        Api.Response none = admin.get("/omics/artifacts/" + plain + "/records");
        assertThat(none.status()).isEqualTo(400);
    }

    @Test
    void aPresignedPartUrlStoresThePartsLengthOnlyOnTheS3Store(Api admin) throws Exception {
        Path small = Genomics.vcf(dir.resolve("bounded.vcf"), 500, List.of("NA001"), 13);
        JsonNode upload = Genomics.startUpload(admin, project.project(), small, "VCF", null);
        long id = upload.path("id").asLong();
        JsonNode url = ok(admin.post("/omics/uploads/" + id + "/parts/1/presign", "{}"));
        assertThat(url.path("size").asLong()).isEqualTo(Files.size(small));
        URI part = URI.create(url.path("url").asText());
        HttpClient http = HttpClient.newHttpClient();
        // 3 MiB for a part of a few KiB, streamed without a length: S3 refuses it (or hangs up on it) and stores
        // nothing
        long big = 3L << 20;
        int chunked;
        try {
            chunked = http.send(
                            HttpRequest.newBuilder(part)
                                    .PUT(HttpRequest.BodyPublishers.ofInputStream(
                                            () -> new ByteArrayInputStream(new byte[(int) big])))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            chunked = -1; // the server closed the connection rather than read the body
        }
        assertThat(chunked < 200 || chunked > 299)
                .as("a chunked body got %s", chunked)
                .isTrue();
        HttpResponse<String> wrongLength = http.send(
                HttpRequest.newBuilder(part)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongLength.statusCode()).as(wrongLength.body()).isEqualTo(403);
        assertThat(ok(admin.get("/omics/uploads/" + id)).path("parts")).isEmpty();
        // the part itself goes through, and the upload completes
        Genomics.sendPart(admin, upload, small, 1, true);
        assertThat(Genomics.complete(admin, id).path("state").asText()).isEqualTo("AVAILABLE");
    }

    @Test
    void htsgetAndRegionQueriesOnABcfAnswer422AsTheReadmeSays(Api admin) throws Exception {
        Path source = Genomics.vcf(dir.resolve("to-bcf.vcf"), 2_000, List.of("NA001"), 17);
        Path bcf = dir.resolve("to-bcf.bcf");
        Genomics.tool(dir, "bcftools", "view", "-Ob", "-o", bcf.toString(), source.toString());
        JsonNode job = Genomics.upload(admin, project.project(), bcf, "BCF", null, false);
        assertThat(job.path("state").asText()).as("%s", job).isEqualTo("AVAILABLE");
        long artifact = job.path("artifact_id").asLong();

        Api.Response ticket = admin.get("/htsget/variants/" + artifact + "?referenceName=chr1&start=0&end=1000");
        assertThat(ticket.status()).as("%s", ticket).isEqualTo(422);
        assertThat(ticket.json().path("htsget").path("error").asText()).isEqualTo("UnsupportedFormat");
        Api.Response asBcf = admin.get("/htsget/variants/" + artifact + "?format=BCF");
        assertThat(asBcf.status()).as("%s", asBcf).isEqualTo(422);
        Api.Response region = admin.get("/omics/artifacts/" + artifact + "/records?region=chr1:1-1000");
        assertThat(region.status()).isEqualTo(422);
        assertThat(region.json().path("type").asText()).endsWith("bcf-region-query-unsupported");
    }

    @Test
    void anIndexOfAnotherTypeThanDeclaredIs422NamingIndexType(Api admin) throws Exception {
        Path tbi = gz.resolveSibling(gz.getFileName() + ".tbi");
        // declared as a CSI index, sent the tabix one
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("project", project.project())
                .put("kind", "VCF")
                .put("size", Files.size(gz))
                .put("sha256", Genomics.sha256(gz))
                .put("idempotency_key", "it-csi-" + System.nanoTime())
                .put("file_name", "declared-csi.vcf.gz");
        body.putObject("assembly").put("reference", "GRCH38").put("name", "GRCh38");
        body.putObject("index").put("type", "csi").put("size", Files.size(tbi)).put("sha256", Genomics.sha256(tbi));
        long id = ok(admin.post("/omics/uploads", body.toString())).path("id").asLong();
        Api.Response r =
                admin.put("/omics/uploads/" + id + "/index", Files.readAllBytes(tbi), "application/octet-stream");
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("index.type");
        assertThat(ok(admin.get("/omics/uploads/" + id)).path("index_received").asBoolean())
                .isFalse();
        assertThat(admin.delete("/omics/uploads/" + id, null).status()).isEqualTo(204);
    }

    @Test
    void aWithdrawnConsentRemovesThatParticipantsGenotypes(Api admin) throws Exception {
        Genomics.participant(admin, project.project(), "NA004", "GIVEN");
        long withdrawn = Genomics.participant(admin, project.project(), "NA005", "GIVEN");
        Path file = Genomics.vcf(dir.resolve("consent.vcf"), 3_000, List.of("NA004", "NA005", "NA006"), 13);
        long artifact = Genomics.upload(admin, project.project(), file, "VCF", null, false)
                .path("artifact_id")
                .asLong();
        Api.Response before = admin.get("/omics/artifacts/" + artifact + "/records?region=chr1:1-3000000");
        assertThat(before.body()).contains("NA005");

        Genomics.withdraw(admin, project.project(), withdrawn);

        Api.Response r = admin.get("/omics/artifacts/" + artifact + "/records?region=chr1:1-3000000");
        assertThat(r.status()).isEqualTo(200);
        String header = Arrays.stream(r.body().split("\n"))
                .filter(l -> l.startsWith("#CHROM"))
                .findFirst()
                .orElseThrow();
        assertThat(header).contains("NA004").contains("NA006").doesNotContain("NA005");
        assertThat(Arrays.stream(r.body().split("\n"))
                        .filter(l -> !l.startsWith("#"))
                        .map(l -> l.split("\t").length))
                .isNotEmpty()
                .allMatch(n -> n == 11);

        Api.Response asked = admin.get("/omics/artifacts/" + artifact + "/records?region=chr1&samples=NA005");
        assertThat(asked.status()).isEqualTo(403);
        assertThat(asked.body()).contains("NA005");

        // htsget hands out the file's bytes: it is refused while a sample in the file has no valid consent
        Api.Response ticket = admin.get("/htsget/variants/" + artifact + "?referenceName=chr1&start=0&end=100000");
        assertThat(ticket.status()).isEqualTo(403);
    }

    @Test
    void anHtsgetTicketReassemblesIntoAFileHoldingTheRegion(Api admin) throws Exception {
        long artifact = singleSampleArtifact(admin);
        Path mine = dir.resolve("single.vcf.gz");
        Files.write(mine, Genomics.tool(dir, "bgzip", "-c", "single.vcf"));
        Genomics.tool(dir, "tabix", "-f", "-p", "vcf", "single.vcf.gz");

        Api.Response r = admin.get(
                "/htsget/variants/" + artifact + "?format=VCF&referenceName=chr1&start=1999999" + "&end=3000000");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode urls = r.json().path("htsget").path("urls");
        assertThat(r.json().path("htsget").path("format").asText()).isEqualTo("VCF");
        assertThat(urls.get(0).path("class").asText()).isEqualTo("header");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (JsonNode u : urls) {
            String url = u.path("url").asText();
            if (url.startsWith("data:")) {
                file.write(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)));
            } else {
                List<String> headers = new ArrayList<>();
                u.path("headers").fields().forEachRemaining(h -> {
                    headers.add(h.getKey());
                    headers.add(h.getValue().asText());
                });
                HttpResponse<byte[]> piece = Genomics.fetch(url, headers.toArray(String[]::new));
                assertThat(piece.statusCode()).as("%s", url).isBetween(200, 206);
                file.write(piece.body());
            }
        }
        Path got = dir.resolve("htsget.vcf.gz");
        Files.write(got, file.toByteArray());
        Genomics.tool(dir, "tabix", "-f", "-p", "vcf", "htsget.vcf.gz");
        assertThat(Genomics.tabix(got, "chr1:2000000-3000000"))
                .isNotEmpty()
                .isEqualTo(Genomics.tabix(mine, "chr1:2000000-3000000"));
        // a client gets the header of the file too
        assertThat(new String(Genomics.tool(dir, "tabix", "-H", "htsget.vcf.gz"), StandardCharsets.US_ASCII))
                .isEqualTo(new String(Genomics.tool(dir, "tabix", "-H", "single.vcf.gz"), StandardCharsets.US_ASCII));
    }

    private static long singleSampleArtifact(Api admin) throws Exception {
        Path single = Genomics.vcf(dir.resolve("single.vcf"), 9_000, List.of("NA001"), 11);
        JsonNode job = Genomics.upload(admin, project.project(), single, "VCF", null, true);
        assertThat(job.path("state").asText()).as("%s", job).isEqualTo("AVAILABLE");
        return job.path("artifact_id").asLong();
    }

    @Test
    void aRejectedUploadNamesTheLineAndLeavesNoArtifact(Api admin) throws Exception {
        Path unsorted = dir.resolve("unsorted.vcf");
        List<String> lines = new ArrayList<>(Files.readAllLines(Genomics.vcf(dir.resolve("u.vcf"), 300, SAMPLES, 3)));
        int first = (int) lines.stream().filter(l -> l.startsWith("#")).count();
        String moved = lines.remove(first + 10);
        lines.add(first + 40, moved);
        Files.write(unsorted, lines);
        long before = ok(admin.get("/omics/artifacts?project=" + project.project()))
                .path("count")
                .asLong();

        JsonNode job = Genomics.upload(admin, project.project(), unsorted, "VCF", null, false);

        assertThat(job.path("state").asText()).isEqualTo("REJECTED");
        assertThat(job.path("error_where").asText()).startsWith("line ");
        assertThat(job.path("artifact_id").isNull() || job.path("artifact_id").isMissingNode())
                .isTrue();
        assertThat(ok(admin.get("/omics/artifacts?project=" + project.project()))
                        .path("count")
                        .asLong())
                .isEqualTo(before);
    }

    @Test
    void regionQueriesAreAuditedWithoutGenotypesOrSampleNames(Api admin) {
        records(admin, indexed, "chr1:1000000-1001000");
        JsonNode entries = ok(admin.get("/audit?action=omics.records.query&object_id=" + indexed + "&limit=5"))
                .path("results");
        assertThat(entries).isNotEmpty();
        String text = entries.get(0).toString();
        assertThat(text).contains("chr1:1000000-1001000").doesNotContain("NA00").doesNotContain("0/1");
    }

    @Test
    void deletingAnArtifactRemovesItsObjectsFromStorage(Api admin) throws Exception {
        JsonNode job = Genomics.upload(
                admin, project.project(), Genomics.vcf(dir.resolve("gone.vcf"), 500, SAMPLES, 5), "VCF", null, false);
        long artifact = job.path("artifact_id").asLong();
        String link = admin.get("/omics/artifacts/" + artifact + "/download").header("Location");
        assertThat(Genomics.fetch(link).statusCode()).isEqualTo(200);

        Api.Response deleted = admin.delete("/omics/artifacts/" + artifact, null);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);

        assertThat(admin.get("/omics/artifacts/" + artifact).status()).isEqualTo(404);
        assertThat(Genomics.fetch(link).statusCode()).isEqualTo(404);
        assertThat(URI.create(link).getHost()).isEqualTo("127.0.0.1");
    }
}
