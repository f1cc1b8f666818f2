package org.karyo.omics.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.hts.LineSink;

/** The bounded pipe between validation and storage, the record writers, aliases and keys. */
class PipeAndWritersTest {

    @Test
    void bytesCrossThePipeUnchangedWhateverTheChunking() throws Exception {
        byte[] data = new byte[3_000_001];
        new Random(1).nextBytes(data);
        Pipe pipe = new Pipe(4, 1000);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = pipe.input()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (OutputStream out = pipe.output()) {
            int off = 0;
            Random r = new Random(2);
            while (off < data.length) {
                int n = Math.min(data.length - off, 1 + r.nextInt(5000));
                if (n == 1) {
                    out.write(data[off]);
                } else {
                    out.write(data, off, n);
                }
                off += n;
            }
        }
        assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo(data);
    }

    @Test
    void aFailedWriterMakesTheReaderFailSoNoTruncatedObjectIsKept() throws Exception {
        Pipe pipe = new Pipe(2, 10);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = pipe.input()) {
                return in.readAllBytes().length;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        pipe.output().write(new byte[15]);
        pipe.fail(new IOException("rejected"));
        assertThatThrownBy(() -> read.get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("rejected");
    }

    @Test
    void aReaderThatGivesUpMakesTheWriterFailInsteadOfBlocking() throws Exception {
        Pipe pipe = new Pipe(1, 10);
        pipe.input().close();
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        pipe.output().write(new byte[10]);
                    }
                })
                .isInstanceOf(IOException.class);
    }

    private static String sink(LineSink sink, String... lines) throws IOException {
        for (String line : lines) {
            byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
            sink.line(b, 2, b.length - 4);
        }
        return null;
    }

    @Test
    void vcfColumnsAreProjectedAndTheHeaderFollows() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineSink s = RecordWriters.vcf(out, new RecordWriters.Columns(3, new int[] {2, 0}));
        sink(s, "c\t1\t.\tA\tC\t.\tPASS\tDP=1\tGT\t0/1\t1/1\t0/0", "c\t2\t.\tA\tC\t.\tPASS\t.\tGT\t0/1");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("c\t1\t.\tA\tC\t.\tPASS\tDP=1\tGT\t0/0\t0/1\nc\t2\t.\tA\tC\t.\tPASS\t.\tGT\t.\t0/1\n");

        ByteArrayOutputStream sites = new ByteArrayOutputStream();
        sink(
                RecordWriters.vcf(sites, new RecordWriters.Columns(3, new int[0])),
                "c\t1\t.\tA\tC\t.\tPASS\tDP=1\tGT\t0/1\t1/1\t0/0");
        assertThat(sites.toString(StandardCharsets.UTF_8)).isEqualTo("c\t1\t.\tA\tC\t.\tPASS\tDP=1\n");

        byte[] header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\tc\n"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(RecordWriters.vcfHeader(header, List.of("c", "a")), StandardCharsets.UTF_8))
                .isEqualTo("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tc\ta\n");
        assertThat(new String(RecordWriters.vcfHeader(header, List.of()), StandardCharsets.UTF_8))
                .isEqualTo("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    }

    @Test
    void jsonRecordsEscapeStringsAndKeepNumbersAsWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordWriters.JsonArray json = RecordWriters.vcfJson(out, List.of("s\"1"), new int[] {0});
        sink(json, "c\t10\trs1;rs2\tA\tC,<DEL>\t1e3\tq10;low\tNOTE=a\\b;DB\tGT:DP\t0|1:.");
        json.close();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("[\n{\"chrom\":\"c\",\"pos\":10,\"id\":\"rs1;rs2\",\"ref\":\"A\",\"alt\":[\"C\",\"<DEL>\"],"
                        + "\"qual\":1e3,\"filter\":[\"q10\",\"low\"],\"info\":{\"NOTE\":\"a\\\\b\",\"DB\":true},"
                        + "\"samples\":{\"s\\\"1\":{\"GT\":\"0|1\",\"DP\":null}}}\n]\n");
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        RecordWriters.bedJson(empty).close();
        assertThat(empty.toString(StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void aliasesNameContigsBothWaysButNeverShadowARealContig() {
        assertThat(Aliases.of(List.of("chr1", "chrM", "chrX", "1")))
                .isEqualTo(Map.of("MT", "chrM", "M", "chrM", "X", "chrX"));
        assertThat(Aliases.of(List.of("1", "MT"))).isEqualTo(Map.of("chr1", "1", "chrM", "MT"));
    }

    @Test
    void keysNameTheirUploadOrArtifact() {
        assertThat(Keys.uploadOf(Keys.uploadData(12))).isEqualTo(12);
        assertThat(Keys.artifactOf(Keys.artifactIndex(7, ArtifactKind.VCF, IndexType.CSI)))
                .isEqualTo(7);
        assertThat(Keys.artifactIndex(7, ArtifactKind.VCF, IndexType.CSI))
                .isEqualTo("omics/artifacts/7/data.vcf.gz.csi");
        assertThat(Keys.artifactOf("omics/artifacts/x/data")).isEqualTo(-1);
        assertThat(Keys.uploadOf("omics/artifacts/3/data")).isEqualTo(-1);
        assertThat(Keys.artifactOf("projects/artifacts/3/data")).isEqualTo(-1);
    }

    @Test
    void thePartSizeGrowsToStayWithinTenThousandParts() {
        Settings s = OmicsTestBase.settings(0);
        assertThat(s.partSizeFor(1)).isEqualTo(5L << 20);
        long huge = 100L << 30; // 100 GiB: 5 MiB parts would be 20480 parts
        long part = s.partSizeFor(huge);
        assertThat((huge + part - 1) / part).isLessThanOrEqualTo(10_000);
        assertThat(part % (1 << 20)).isZero();
        assertThatThrownBy(() -> new Settings(
                        1,
                        0,
                        1 << 20,
                        s.presignExpiry(),
                        s.ticketExpiry(),
                        s.downloadExpiry(),
                        s.uploadExpiry(),
                        1,
                        1,
                        s.limits(),
                        1,
                        1,
                        1,
                        1,
                        20,
                        0))
                .hasMessageContaining("part.size.bytes");
    }
}
