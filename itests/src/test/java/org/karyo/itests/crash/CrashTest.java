package org.karyo.itests.crash;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Genomics;
import org.karyo.itests.support.Platform;

/**
 * {@code kill -9} of a private platform (on the embedded filesystem store, with 5 MiB parts) in the middle of writes,
 * then a restart on the same copy and database.
 *
 * <p>In the middle of a part upload: after the restart no artifact is visible, the upload lists exactly the parts
 * that arrived whole, the half-written part left no temporary file behind, and the client resumes it to a queryable
 * artifact. Then in the middle of a validation: the platform job ({@code omics.validation}) is resumed after the
 * restart, to an artifact, and the store's {@code tmp/} holds no {@code *.tmp} afterwards.
 *
 * <p>In the middle of a FHIR transaction Bundle: once the transaction has begun writing (another session holds row
 * locks on the store's tables), the kill leaves nothing of it, and the same Bundle sent again after the restart stores
 * all of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashTest {
    private static final int PART = 5 * 1024 * 1024;
    private static final int OBSERVATIONS = 10_000;
    private static Platform platform;

    @TempDir
    Path dir;

    @BeforeAll
    static void boot() throws Exception {
        platform = Platform.boot("crash", Map.of(), Map.of("org.karyo.omics.cfg", "part.size.bytes = " + PART + "\n"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aTransactionCutByAKillLeavesNothingOfIt() throws Exception {
        Api admin = platform.admin();
        String run = Long.toString(System.nanoTime(), 36);
        String patient = "crash-" + run;
        Api.Response p = admin.send(admin.request("/fhir/r5/Patient/" + patient)
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"gender\":\"other\"}")));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < OBSERVATIONS; i++) {
            bundle.append(i == 0 ? "" : ",")
                    .append("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",")
                    .append("\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},")
                    .append("\"subject\":{\"reference\":\"Patient/")
                    .append(patient)
                    .append("\"},\"valueQuantity\":{\"value\":")
                    .append(60 + i % 40)
                    .append(",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        String body = bundle.append("]}").toString();
        HttpRequest post = admin.request("/fhir/r5")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        try (Connection db = DriverManager.getConnection(platform.superuserJdbcUrl())) {
            var inFlight = HttpClient.newHttpClient().sendAsync(post, HttpResponse.BodyHandlers.discarding());
            assertThat(awaitWriting(db)).as("the transaction began writing").isTrue();
            platform.crash();
            inFlight.handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        }
        platform.restart();
        admin = platform.admin();
        try (Connection db = DriverManager.getConnection(platform.superuserJdbcUrl())) {
            assertThat(observationsOf(db, patient))
                    .as("rows of the killed transaction")
                    .isZero();
        }
        assertThat(total(admin, patient))
                .as("Observations of the killed transaction")
                .isZero();

        Api.Response again = admin.send(admin.request("/fhir/r5")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("entry")).hasSize(OBSERVATIONS);
        assertThat(total(admin, patient)).isEqualTo(OBSERVATIONS);
        try (Connection db = DriverManager.getConnection(platform.superuserJdbcUrl())) {
            assertThat(observationsOf(db, patient)).isEqualTo(OBSERVATIONS);
        }
    }

    /**
     * Whether another session holds a row lock on the store's resources within a minute: the transaction Bundle has
     * been read and its unit of work is writing (polled).
     */
    private static boolean awaitWriting(Connection db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid ="
                + " l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'karyo_fhir' AND"
                + " c.relname IN ('resource', 'resource_id') AND l.mode = 'RowExclusiveLock' AND l.pid <>"
                + " pg_backend_pid()")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return true;
                    }
                }
                Thread.sleep(5); // the poll's interval
            }
        }
        return false;
    }

    /** The current rows of Observations about the patient, straight from the database. */
    private static long observationsOf(Connection db, String patient) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM karyo_fhir.resource r WHERE r.rtype ="
                + " 'Observation' AND r.keys @> ARRAY['subject:r=Patient/' || ?]")) {
            ps.setString(1, patient);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many Observations about the patient the API counts. */
    private static long total(Api admin, String patient) {
        Api.Response r = admin.get("/fhir/r5/Observation?subject=Patient/" + patient + "&_summary=count");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("total").asLong();
    }

    @Test
    @Order(2)
    void anUploadCutByAKillResumesAfterTheRestart() throws Exception {
        {
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

            validationCutByAKillIsResumed(project.project(), tmp);
        }
    }

    /** A kill during validation: the job facility resumes the job after the restart; no temporary file is left. */
    private void validationCutByAKillIsResumed(long project, Path tmp) throws Exception {
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
