package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads that must be rejected, each naming the line or block that is wrong. */
class IngestRejectionTest {

    @TempDir
    static Path dir;

    static Path vcf;
    static Path gz;

    @BeforeAll
    static void generate() throws IOException {
        vcf = Fixtures.vcf(dir.resolve("r.vcf"), new Random(31), 20_000, Fixtures.CONTIGS, 2);
        gz = Tools.bgzip(vcf, dir.resolve("r.vcf.gz"));
        Tools.run(dir, "tabix", "-p", "vcf", gz.toString());
    }

    static IngestResult ingest(FileKind kind, byte[] upload, byte[] index, IngestLimits limits) throws Exception {
        return Ingest.run(kind, new ByteArrayInputStream(upload), new ByteArrayOutputStream(), index, limits);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> rejects(FileKind kind, byte[] upload, byte[] index) {
        return rejects(kind, upload, index, IngestLimits.defaults());
    }

    static AbstractThrowableAssert<?, ? extends Throwable> rejects(
            FileKind kind, byte[] upload, byte[] index, IngestLimits limits) {
        return assertThatThrownBy(() -> ingest(kind, upload, index, limits)).isInstanceOf(IngestException.class);
    }

    static IngestException rejection(FileKind kind, byte[] upload, byte[] index, IngestLimits limits) {
        try {
            ingest(kind, upload, index, limits);
        } catch (IngestException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted");
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final String HEAD = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

    @Test
    void theFileAsUploadedIsAccepted() throws Exception {
        IngestResult r = ingest(
                FileKind.VCF,
                Files.readAllBytes(gz),
                Files.readAllBytes(Path.of(gz + ".tbi")),
                IngestLimits.defaults());
        assertThat(r.indexType()).isEqualTo("tbi");
        assertThat(r.metadata().records()).isEqualTo(20_000);
    }

    @Test
    void truncatedBgzfNamesTheBlock() throws Exception {
        byte[] all = Files.readAllBytes(gz);
        // cut in the middle of a block
        IngestException e =
                rejection(FileKind.VCF, java.util.Arrays.copyOf(all, all.length / 2), null, IngestLimits.defaults());
        assertThat(e.where()).startsWith("BGZF block at byte ");
        assertThat(e.getMessage()).contains("truncated");
        // cut exactly before the EOF block: every block is whole, the EOF marker is missing
        e = rejection(FileKind.VCF, java.util.Arrays.copyOf(all, all.length - 28), null, IngestLimits.defaults());
        assertThat(e.blockOffset()).isEqualTo(all.length - 28);
        assertThat(e.getMessage()).contains("end-of-file block is missing");
    }

    @Test
    void corruptedCrcNamesTheBlock() throws Exception {
        byte[] all = Files.readAllBytes(gz);
        int second = blockSize(all, 0);
        int third = second + blockSize(all, second);
        all[third - 8] ^= 0x55; // the CRC32 of the second block
        IngestException e = rejection(FileKind.VCF, all, null, IngestLimits.defaults());
        assertThat(e.blockOffset()).isEqualTo(second);
        assertThat(e.getMessage()).contains("CRC32");
        byte[] data = Files.readAllBytes(gz);
        data[second + 40] ^= 0x01; // inside the deflate data
        e = rejection(FileKind.VCF, data, null, IngestLimits.defaults());
        assertThat(e.blockOffset()).isEqualTo(second);
        assertThat(e.getMessage()).contains("corrupt");
    }

    static int blockSize(byte[] b, int at) {
        return ((b[at + 16] & 0xff) | (b[at + 17] & 0xff) << 8) + 1;
    }

    @Test
    void unsortedVcfNamesTheLine() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(vcf));
        int first = 0;
        while (lines.get(first).startsWith("#")) {
            first++;
        }
        int bad = first + 500;
        String[] a = lines.get(bad).split("\t");
        String[] b = lines.get(bad + 1).split("\t");
        while (Long.parseLong(a[1]) == Long.parseLong(b[1])) {
            bad++;
            a = lines.get(bad).split("\t");
            b = lines.get(bad + 1).split("\t");
        }
        lines.set(bad, String.join("\t", b));
        lines.set(bad + 1, String.join("\t", a));
        byte[] upload = text(String.join("\n", lines) + "\n");
        IngestException e = rejection(FileKind.VCF, upload, null, IngestLimits.defaults());
        assertThat(e.where()).isEqualTo("line " + (bad + 2));
        assertThat(e.line()).isEqualTo(bad + 2);
        assertThat(e.getMessage())
                .contains("not sorted")
                .contains("POS")
                .doesNotContain(b[1])
                .doesNotContain(a[1]);
        // the same through BGZF
        Path p = Files.write(dir.resolve("unsorted.vcf"), upload);
        e = rejection(
                FileKind.VCF,
                Files.readAllBytes(Tools.bgzip(p, dir.resolve("unsorted.vcf.gz"))),
                null,
                IngestLimits.defaults());
        assertThat(e.line()).isEqualTo(bad + 2);
    }

    @Test
    void aContigThatResumesIsUnsorted() {
        String s = HEAD + "chr1\t10\t.\tA\tC\t.\t.\t.\nchr2\t5\t.\tA\tC\t.\t.\t.\nchr1\t20\t.\tA\tC\t.\t.\t.\n";
        IngestException e = rejection(FileKind.VCF, text(s), null, IngestLimits.defaults());
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("resume");
    }

    @Test
    void aTbiOfAnotherFileIsRejected() throws Exception {
        Path other = Fixtures.vcf(dir.resolve("other.vcf"), new Random(32), 20_000, Fixtures.CONTIGS, 2);
        Path ogz = Tools.bgzip(other, dir.resolve("other.vcf.gz"));
        Tools.run(dir, "tabix", "-p", "vcf", ogz.toString());
        rejects(FileKind.VCF, Files.readAllBytes(gz), Files.readAllBytes(Path.of(ogz + ".tbi")))
                .hasMessageContaining("the supplied index does not match the file");
        // a .tbi of a file with fewer records on the same contigs
        Path small = Fixtures.vcf(dir.resolve("small.vcf"), new Random(31), 100, Fixtures.CONTIGS, 2);
        Path sgz = Tools.bgzip(small, dir.resolve("small.vcf.gz"));
        Tools.run(dir, "tabix", "-p", "vcf", sgz.toString());
        rejects(FileKind.VCF, Files.readAllBytes(gz), Files.readAllBytes(Path.of(sgz + ".tbi")))
                .hasMessageContaining("the supplied index does not match the file");
        // an index of a BED file, and garbage
        rejects(FileKind.VCF, Files.readAllBytes(gz), text("TBI\1garbage")).hasMessageContaining("index");
        rejects(FileKind.VCF, Files.readAllBytes(vcf), Files.readAllBytes(Path.of(gz + ".tbi")))
                .hasMessageContaining("not BGZF-compressed");
    }

    @Test
    void csiIndexesOfTheFileAreAccepted() throws Exception {
        Path copy = Files.copy(gz, dir.resolve("csi.vcf.gz"));
        Tools.run(dir, "bcftools", "index", "-f", copy.toString());
        byte[] csi = Files.readAllBytes(Path.of(copy + ".csi"));
        IngestResult r = ingest(FileKind.VCF, Files.readAllBytes(copy), csi, IngestLimits.defaults());
        assertThat(r.indexType()).isEqualTo("csi");
        assertThat(r.index()).isEqualTo(csi);
    }

    @Test
    void nonVcfTextIsRejected() {
        rejects(FileKind.VCF, text("hello world\nthis is not a VCF\n"), null)
                .hasMessageContaining("line 1")
                .hasMessageContaining("not a VCF");
        rejects(FileKind.VCF, text("chr1\t10\t20\n"), null).hasMessageContaining("not a VCF");
        rejects(FileKind.VCF, text("##fileformat=VCFv4.2\n##INFO=<ID=DP>\nchr1\t1\n"), null)
                .hasMessageContaining("line 3")
                .hasMessageContaining("#CHROM");
        rejects(FileKind.VCF, text(HEAD + "chr1\tabc\t.\tA\tC\t.\t.\t.\n"), null)
                .hasMessageContaining("line 3: POS");
        rejects(FileKind.VCF, text(HEAD + "chr1\t10\t.\tA\tC\t.\t.\n"), null).hasMessageContaining("columns");
        rejects(FileKind.VCF, new byte[] {0, 1, 2, 3, 4, 5}, null).hasMessageContaining("line 1");
        rejects(FileKind.BED, text("chr1 10 20\n"), null).hasMessageContaining("line 1");
        rejects(FileKind.BED, text("track name=x\nchr1\t10\t20\n"), null).hasMessageContaining("track");
        rejects(FileKind.BED, text("chr1\t30\t20\n"), null).hasMessageContaining("end is before start");
        rejects(FileKind.BED, text("chr1\t10\t20\n\nchr1\t30\t40\n"), null).hasMessageContaining("line 2: empty");
        rejects(FileKind.VCF, text(""), null).hasMessageContaining("empty");
    }

    @Test
    void plainGzipIsRejected() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(Files.readAllBytes(vcf));
        }
        rejects(FileKind.VCF, b.toByteArray(), null).hasMessageContaining("bgzip");
        rejects(FileKind.BCF, b.toByteArray(), null).hasMessageContaining("bgzip");
    }

    @Test
    void aBgzipBombIsRejected() throws Exception {
        // 64 MiB of one record repeated (sorted: same position) compresses several hundred times
        StringBuilder sb = new StringBuilder(HEAD);
        String rec = "chr1\t100\t.\tA\tC\t50\tPASS\tDP=10\n";
        Path p = dir.resolve("bomb.vcf");
        try (var w = Files.newBufferedWriter(p)) {
            w.write(sb.toString());
            for (int i = 0; i < (64 << 20) / rec.length(); i++) {
                w.write(rec);
            }
        }
        byte[] bomb = Files.readAllBytes(Tools.bgzip(p, dir.resolve("bomb.vcf.gz")));
        Files.delete(p);
        assertThat(bomb.length).isLessThan(1 << 20);
        IngestException e = rejection(FileKind.VCF, bomb, null, new IngestLimits(1L << 40, 100, 1 << 20));
        assertThat(e.getMessage()).contains("expands more than 100 times");
        assertThat(e.where()).startsWith("BGZF block at byte");
        e = rejection(FileKind.VCF, bomb, null, new IngestLimits(10L << 20, 100_000, 1 << 20));
        assertThat(e.getMessage()).contains("expands to more than " + (10L << 20));
    }

    @Test
    void aLineLongerThanTheLimitIsRejected() {
        String longInfo = "X=" + "a".repeat(5000);
        String s = HEAD + "chr1\t10\t.\tA\tC\t.\t.\t.\nchr1\t11\t.\tA\tC\t.\t.\t" + longInfo + "\n";
        IngestException e = rejection(FileKind.VCF, text(s), null, new IngestLimits(1 << 30, 100, 4096));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("longer than 4096");
    }

    @Test
    void aParquetFileIsNotAVcf() {
        rejects(FileKind.VCF, text("PAR1xxxxxxxxPAR1"), null).hasMessageContaining("Parquet");
        rejects(FileKind.PARQUET, text("##fileformat=VCFv4.2\n"), null).hasMessageContaining("PAR1");
    }
}
