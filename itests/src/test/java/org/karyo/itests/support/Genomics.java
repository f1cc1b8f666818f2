package org.karyo.itests.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Genomic test data and the client side of the omics protocols: synthetic VCFs, Debian's htslib tools as the
 * reference answers, projects and participants to hold the files, and the upload protocol (parts through Karyo or
 * presigned straight to storage, completion, the validation job).
 */
public final class Genomics {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] BASES = {"A", "C", "G", "T"};
    private static final String[] GENOTYPES = {"0/0", "0/1", "1/1", "0|1", "./."};

    private Genomics() {}

    /**
     * Writes a sorted VCF of {@code records} records over chr1, chr2 and chrX, with {@code samples} sample columns and
     * about 2 % deletions whose INFO/END reaches past their REF.
     */
    public static Path vcf(Path file, int records, List<String> samples, long seed) throws IOException {
        Random random = new Random(seed);
        String[] contigs = {"chr1", "chr2", "chrX"};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("##fileformat=VCFv4.2\n##reference=GRCh38\n");
            for (String c : contigs) {
                w.write("##contig=<ID=" + c + ",length=10000000>\n");
            }
            w.write("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n");
            w.write("##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position\">\n");
            w.write("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"SV type\">\n");
            w.write("##FILTER=<ID=q10,Description=\"Quality below 10\">\n");
            w.write("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
            w.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + String.join("\t", samples) + "\n");
            int perContig = records / contigs.length;
            int n = 0;
            for (String c : contigs) {
                long pos = 0;
                for (int i = 0; i < perContig; i++) {
                    pos += 1 + random.nextInt(2 * 9_000_000 / perContig);
                    StringBuilder line = new StringBuilder()
                            .append(c)
                            .append('\t')
                            .append(pos)
                            .append("\trs")
                            .append(++n)
                            .append('\t');
                    String ref = BASES[random.nextInt(4)];
                    if (random.nextInt(50) == 0) {
                        line.append(ref)
                                .append("\t<DEL>\t50\tPASS\tSVTYPE=DEL;END=")
                                .append(pos + 50 + random.nextInt(20_000));
                    } else {
                        line.append(ref)
                                .append('\t')
                                .append(BASES[(Arrays.asList(BASES).indexOf(ref) + 1 + random.nextInt(3)) % 4])
                                .append('\t')
                                .append(10 + random.nextInt(80))
                                .append(random.nextInt(10) == 0 ? "\tq10" : "\tPASS")
                                .append("\tDP=")
                                .append(random.nextInt(300));
                    }
                    line.append("\tGT");
                    for (int s = 0; s < samples.size(); s++) {
                        line.append('\t').append(GENOTYPES[random.nextInt(GENOTYPES.length)]);
                    }
                    w.write(line.append('\n').toString());
                }
            }
        }
        return file;
    }

    /** Runs one of Debian's htslib tools and returns its standard output; fails when the tool is missing. */
    public static byte[] tool(Path dir, String... command) throws IOException, InterruptedException {
        Path exe = Path.of("/usr/bin", command[0]);
        assertThat(exe)
                .as("Debian's %s is needed (apt-get install tabix bcftools; .ci/run installs them)", command[0])
                .isExecutable();
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit status of %s", List.of(command)).isZero();
        return out;
    }

    /** {@code bgzip} + {@code tabix -p vcf} of a VCF: the reference copy that answers region queries locally. */
    public static Path bgzipAndIndex(Path vcf) throws IOException, InterruptedException {
        Path gz = vcf.resolveSibling(vcf.getFileName() + ".gz");
        Files.write(gz, tool(vcf.getParent(), "bgzip", "-c", vcf.getFileName().toString()));
        tool(vcf.getParent(), "tabix", "-f", "-p", "vcf", gz.getFileName().toString());
        return gz;
    }

    /** What {@code tabix gz regions…} prints. */
    public static String tabix(Path gz, String... regions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tabix", gz.getFileName().toString()));
        cmd.addAll(List.of(regions));
        return new String(tool(gz.getParent(), cmd.toArray(String[]::new)), StandardCharsets.US_ASCII);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids of a project created for a test. */
    public record ProjectIds(long institution, long institutionPerimeter, long project, long projectPerimeter) {}

    /**
     * Creates an institution (under {@code parentPerimeter}, or under the root when null), an investigator and an
     * active project, as {@code admin}.
     */
    public static ProjectIds project(Api admin, String tag, Long parentPerimeter) {
        String code = (tag.replaceAll("[^A-Za-z0-9]", "") + Long.toString(System.nanoTime(), 36))
                .toUpperCase()
                .substring(0, 12);
        ObjectNode institution = Api.JSON.createObjectNode().put("code", code).put("name", "Institution " + code);
        if (parentPerimeter != null) {
            institution.put("parent_perimeter_id", parentPerimeter);
        }
        JsonNode inst = ok(admin.post("/projects/institutions", institution.toString()));
        long institutionId = inst.path("id").asLong();
        JsonNode investigator = ok(admin.post(
                "/projects/investigators",
                Api.JSON
                        .createObjectNode()
                        .put("institution_id", institutionId)
                        .put("first_name", "Ada")
                        .put("last_name", "Investigator" + code.toLowerCase())
                        .put("email", code.toLowerCase() + "@example.org")
                        .toString()));
        JsonNode project = ok(admin.post(
                "/projects/projects",
                Api.JSON
                        .createObjectNode()
                        .put("institution_id", institutionId)
                        .put("investigator_id", investigator.path("id").asLong())
                        .put("code", code.substring(0, 8))
                        .put("name", "Project " + code)
                        .put("status", "ACTIVE")
                        .put("start_date", "2026-01-01")
                        .toString()));
        return new ProjectIds(
                institutionId,
                inst.path("perimeter_id").asLong(),
                project.path("id").asLong(),
                project.path("perimeter_id").asLong());
    }

    /**
     * Registers a participant whose genomic sample is {@code sample}, with a consent in {@code consent} (GIVEN,
     * WITHDRAWN, PENDING): a given consent needs its signed form first.
     */
    public static long participant(Api admin, long project, String sample, String consent) {
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("first_name", "Jane")
                .put("last_name", "Doe " + sample)
                .put("gender", "FEMALE")
                .put("birth_date", "1980-05-17");
        body.putArray("sample_ids").add(sample);
        long id = ok(admin.post("/projects/projects/" + project + "/participants", body.toString()))
                .path("id")
                .asLong();
        String base = "/projects/projects/" + project + "/participants/" + id;
        if (!consent.equals("PENDING")) {
            ok(admin.put(
                    base + "/consent/document?file_name=consent.pdf",
                    "%PDF-1.4\n% consent form\n".getBytes(),
                    "application/pdf"));
            ok(admin.put(
                    base + "/consent",
                    Api.JSON
                            .createObjectNode()
                            .put("status", "GIVEN")
                            .put("given_on", "2026-02-01")
                            .toString()));
        }
        if (consent.equals("WITHDRAWN")) {
            withdraw(admin, project, id);
        }
        return id;
    }

    public static void withdraw(Api admin, long project, long participant) {
        ok(admin.put(
                "/projects/projects/" + project + "/participants/" + participant + "/consent",
                Api.JSON
                        .createObjectNode()
                        .put("status", "WITHDRAWN")
                        .put("given_on", "2026-02-01")
                        .put("withdrawn_on", "2026-03-01")
                        .toString()));
    }

    /** Starts an upload of {@code file} (with {@code index} declared when not null). */
    public static JsonNode startUpload(Api api, long project, Path file, String kind, Path index) throws IOException {
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("project", project)
                .put("kind", kind)
                .put("size", Files.size(file))
                .put("sha256", sha256(file))
                .put("idempotency_key", "it-" + System.nanoTime())
                .put("file_name", file.getFileName().toString());
        body.putObject("assembly").put("reference", "GRCH38").put("name", "GRCh38");
        if (index != null) {
            body.putObject("index")
                    .put("type", index.toString().endsWith(".csi") ? "csi" : "tbi")
                    .put("size", Files.size(index))
                    .put("sha256", sha256(index));
        }
        Api.Response r = api.post("/omics/uploads", body.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json();
    }

    /** Sends part {@code n} (1-based) of {@code file} through Karyo, or with {@code presigned} straight to storage. */
    public static void sendPart(Api api, JsonNode upload, Path file, int n, boolean presigned) throws Exception {
        long partSize = upload.path("part_size").asLong();
        long size = Files.size(file);
        long from = (n - 1L) * partSize;
        byte[] bytes = new byte[(int) Math.min(partSize, size - from)];
        try (var ch = Files.newByteChannel(file)) {
            ch.position(from);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill
            }
        }
        String path = "/omics/uploads/" + upload.path("id").asLong() + "/parts/" + n;
        if (presigned) {
            JsonNode url = ok(api.post(path + "/presign", "{}"));
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url.path("url").asText()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("presigned part %s: %s", n, r.body()).isEqualTo(200);
        } else {
            ok(api.put(path, bytes, "application/octet-stream"));
        }
    }

    /** Sends every part and the index, completes the upload and waits for its job; returns the finished job. */
    public static JsonNode upload(Api api, long project, Path file, String kind, Path index, boolean presigned)
            throws Exception {
        JsonNode upload = startUpload(api, project, file, kind, index);
        for (int n = 1; n <= upload.path("part_count").asInt(); n++) {
            sendPart(api, upload, file, n, presigned);
        }
        if (index != null) {
            ok(api.put(
                    "/omics/uploads/" + upload.path("id").asLong() + "/index",
                    Files.readAllBytes(index),
                    "application/octet-stream"));
        }
        return complete(api, upload.path("id").asLong());
    }

    /** Completes an upload (202 and a job) and waits until the job is AVAILABLE or REJECTED. */
    public static JsonNode complete(Api api, long upload) throws InterruptedException {
        Api.Response r = api.post("/omics/uploads/" + upload + "/complete", "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        return awaitJob(api, r.json().path("id").asLong());
    }

    /** Polls a validation job ({@code /omics/jobs/{id}}) until it ended, at most 3 minutes. */
    public static JsonNode awaitJob(Api api, long job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode j = ok(api.get("/omics/jobs/" + job));
            String state = j.path("state").asText();
            if (state.equals("AVAILABLE")
                    || state.equals("REJECTED")
                    || state.equals("FAILED")
                    || state.equals("CANCELLED")) {
                return j;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + job + " did not finish");
    }

    /** The JSON body of a 2xx answer. */
    public static JsonNode ok(Api.Response r) {
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
        return r.body() == null || r.body().isEmpty() ? Api.JSON.createObjectNode() : r.json();
    }

    /** GETs an absolute URL (a presigned link), with optional headers as name, value pairs. */
    public static HttpResponse<byte[]> fetch(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        String type = r.headers().firstValue("Content-Type").orElse("");
        // htsget tickets may point into /api: those answers are checked like any other
        Api.checkContract(
                r, type.contains("json") ? new String(r.body(), java.nio.charset.StandardCharsets.UTF_8) : null);
        return r;
    }
}
