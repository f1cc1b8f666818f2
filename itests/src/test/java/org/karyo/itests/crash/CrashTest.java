package org.karyo.itests.omics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.itests.support.Genomics.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Genomics;
import org.karyo.itests.support.Platform;

/**
 * A {@code kill -9} of the platform in the middle of a part upload (its own platform, on the embedded filesystem
 * store, with 5 MiB parts): after the restart no artifact is visible, the upload lists exactly the parts that arrived
 * whole, the half-written part left no temporary file behind, and the client resumes it to a queryable artifact. Then
 * a {@code kill -9} in the middle of a validation: the platform job ({@code omics.validation}) is resumed after the
 * restart, to an artifact, and the store's {@code tmp/} holds no {@code *.tmp} afterwards.
 */
class UploadCrashTest {
    private static final int PART = 5 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void anUploadCutByAKillResumesAfterTheRestart() throws Exception {
        try (Platform platform =
                Platform.boot("crash", Map.of(), Map.of("org.karyo.omics.cfg", "part.size.bytes = " + PART + "\n"))) {
            Api admin = platform.admin();
            Genomics.ProjectIds project = Genomics.project(admin, "crash", null);
            Path vcf = Genomics.vcf(dir.resolve("big.vcf"), 240_000, List.of("S1", "S2", "S3"), 17);
            assertThat(Files.size(vcf)).isGreaterThan(2L * PART);
            JsonNode upload = Genomics.startUpload(admin, project.project(), vcf, "VCF", null);
            long id = upload.path("id").asLong();
            assertThat(upload.path("part_size").asLong()).isEqualTo(PART);
            Genomics.sendPart(admin, upload, vcf, 1, false);

            // part 2 stops half-way; the platform dies while it waits for the rest
            CountDownLatch halfSent = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            byte[] part2 = new byte[PART];
            try (InputStream in = Files.newInputStream(vcf)) {
                in.skipNBytes(PART);
                in.readNBytes(part2, 0, PART);
            }
            InputStream stalling = new InputStream() {
                int position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (position >= PART / 2) {
                        halfSent.countDown();
                        try {
                            never.await(2, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IOException("the test stopped sending");
                    }
                    int n = Math.min(len, PART / 2 - position);
                    System.arraycopy(part2, position, b, off, n);
                    position += n;
                    return n;
                }
            };
            HttpRequest put = admin.request("/omics/uploads/" + id + "/parts/2")
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> stalling), PART))
                    .build();
            var inFlight = HttpClient.newHttpClient().sendAsync(put, HttpResponse.BodyHandlers.discarding());
            assertThat(halfSent.await(60, TimeUnit.SECONDS)).isTrue();
            // the store is writing the half part into a temporary file when the platform dies
            Path tmp = platform.home().resolve("var/storage/tmp");
            assertThat(awaitPartialPart(tmp))
                    .as("a part being written in %s", tmp)
                    .isTrue();

            platform.crash();
            never.countDown();
            inFlight.handle((r, e) -> null).get(30, TimeUnit.SECONDS);
            assertThat(entries(tmp)).as("what the kill left").isNotEmpty();
            platform.restart();
            assertThat(entries(tmp)).as("temporary files after the restart").isEmpty();

            admin = platform.admin();
            JsonNode afterCrash = ok(admin.get("/omics/uploads/" + id));
            assertThat(afterCrash.path("parts"))
                    .extracting(p -> p.path("number").asInt())
                    .containsExactly(1);
            assertThat(ok(admin.get("/omics/artifacts?project=" + project.project()))
                            .path("count")
                            .asLong())
                    .isZero();

            for (int n = 2; n <= upload.path("part_count").asInt(); n++) {
                Genomics.sendPart(admin, upload, vcf, n, false);
            }
            JsonNode job = Genomics.complete(admin, id);
            assertThat(job.path("state").asText()).as("%s", job).isEqualTo("AVAILABLE");
            Path gz = Genomics.bgzipAndIndex(vcf);
            Api.Response r = admin.get("/omics/artifacts/"
                    + job.path("artifact_id").asLong() + "/records?format=vcf&region=chr2:1000000-2000000");
            String body = String.join(
                    "",
                    r.body()
                            .lines()
                            .filter(l -> !l.startsWith("#"))
                            .map(l -> l + "\n")
                            .toList());
            assertThat(body).isNotEmpty().isEqualTo(Genomics.tabix(gz, "chr2:1000000-2000000"));
            assertThat(entries(tmp))
                    .as("temporary files once the upload is validated")
                    .isEmpty();

            validationCutByAKillIsResumed(platform, project.project(), tmp);
        }
    }

    /** A kill during validation: the job facility resumes the job after the restart; no temporary file is left. */
    private void validationCutByAKillIsResumed(Platform platform, long project, Path tmp) throws Exception {
        Api admin = platform.admin();
        Path vcf = Genomics.vcf(dir.resolve("bigger.vcf"), 1_200_000, List.of("S1", "S2", "S3"), 23);
        long size = Files.size(vcf);
        JsonNode upload = Genomics.startUpload(admin, project, vcf, "VCF", null);
        long id = upload.path("id").asLong();
        for (int n = 1; n <= upload.path("part_count").asInt(); n++) {
            Genomics.sendPart(admin, upload, vcf, n, false);
        }
        Api.Response completed = admin.post("/omics/uploads/" + id + "/complete", "{}");
        assertThat(completed.status()).as("%s", completed).isEqualTo(202);
        long job = completed.json().path("id").asLong();
        // the omics job is the platform job: same id, same progress
        JsonNode running = awaitRunning(admin, job);
        assertThat(running.path("type").asText()).isEqualTo("omics.validation");
        assertThat(running.path("key").asText()).isEqualTo("upload-" + id);
        assertThat(running.path("progress").path("total").asLong()).isEqualTo(size);
        assertThat(running.path("progress").path("unit").asText()).isEqualTo("bytes");

        platform.crash();
        platform.restart();
        admin = platform.admin();
        JsonNode ended = Genomics.awaitJob(admin, job);
        assertThat(ended.path("state").asText()).as("%s", ended).isEqualTo("AVAILABLE");
        JsonNode platformJob = ok(admin.get("/jobs/" + job));
        assertThat(platformJob.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(platformJob.path("attempts").asInt()).as("%s", platformJob).isEqualTo(2);
        assertThat(platformJob.path("progress").path("done").asLong()).isEqualTo(size);
        assertThat(platformJob.path("result").path("artifact_id").asLong())
                .isEqualTo(ended.path("artifact_id").asLong());
        assertThat(ok(admin.get("/omics/artifacts/" + ended.path("artifact_id").asLong()))
                        .path("upload_size")
                        .asLong())
                .isEqualTo(size);
        assertThat(entries(tmp).stream().map(p -> p.getFileName().toString()))
                .as("temporary files after a kill during validation and the resumed job")
                .noneMatch(n -> n.endsWith(".tmp"));
    }

    /** The platform job once a node runs it (polled; it must not end first). */
    private static JsonNode awaitRunning(Api admin, long job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode j = ok(admin.get("/jobs/" + job));
            String state = j.path("state").asText();
            if (state.equals("RUNNING")) {
                return j;
            }
            assertThat(state).as("job %s ended before the kill: %s", job, j).isEqualTo("QUEUED");
            Thread.sleep(20); // the poll's interval
        }
        throw new AssertionError("job " + job + " did not start");
    }

    /** Whether a temporary file with bytes in it appears in {@code tmp} within a minute (polled). */
    private static boolean awaitPartialPart(Path tmp) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Path p : entries(tmp)) {
                if (p.getFileName().toString().startsWith("part-") && Files.size(p) > 0) {
                    return true;
                }
            }
            Thread.sleep(100); // the poll's interval
        }
        return false;
    }

    private static List<Path> entries(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
