package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.omics.hts.internal.BinIndex;

/** BCF written by bcftools: header metadata, per-contig counts and the CSI index, against bcftools' answers. */
class BcfIngestTest {

    @TempDir
    static Path dir;

    static Path vcf;
    static Path bcf;

    @BeforeAll
    static void generate() throws Exception {
        vcf = Fixtures.vcf(dir.resolve("v.vcf"), new Random(21), 25_000, Fixtures.CONTIGS, 3);
        bcf = dir.resolve("v.bcf");
        Tools.run(dir, "bcftools", "view", "-Ob", "-o", bcf.toString(), vcf.toString());
        Tools.run(dir, "bcftools", "index", "-f", bcf.toString());
    }

    /** bcftools index -s: contig, length, records. */
    static Map<String, Long> bcftoolsCounts(Path file) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : new String(
                        Tools.run(dir, "bcftools", "index", "-s", file.toString()), StandardCharsets.UTF_8)
                .split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t");
                m.put(f[0], Long.parseLong(f[2]));
            }
        }
        return m;
    }

    static Map<String, Long> ours(IngestResult r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ContigStat c : r.metadata().contigs()) {
            m.put(c.name(), c.records());
        }
        return m;
    }

    @Test
    void headerCountsAndIndexMatchBcftools() throws Exception {
        Path stored = dir.resolve("stored1.bcf");
        IngestResult r = IngestIndexTest.ingest(FileKind.BCF, bcf, stored, null);
        assertThat(r.metadata().fileFormat()).isEqualTo("BCFv2.2");
        assertThat(r.metadata().samples()).containsExactly("S1", "S2", "S3");
        assertThat(r.metadata().definitions()).extracting(HeaderDefinition::id).contains("DP", "SVTYPE", "END", "GT");
        assertThat(r.metadata().referenceHint()).isEqualTo("file:///refs/GRCh38.fa");
        long total = Long.parseLong(
                new String(Tools.run(dir, "bcftools", "index", "-n", bcf.toString()), StandardCharsets.UTF_8).trim());
        assertThat(r.metadata().records()).isEqualTo(total).isEqualTo(25_000);
        assertThat(ours(r)).isEqualTo(bcftoolsCounts(bcf));
        assertThat(r.metadata().contigs())
                .allSatisfy(c -> assertThat(c.length()).isNotNull());
        assertThat(r.compressed()).isTrue();
        assertThat(r.recompressed()).isFalse();
        assertThat(Files.readAllBytes(stored)).isEqualTo(Files.readAllBytes(bcf));
        // our CSI has the bins, chunks and pseudo-bins of bcftools index's
        assertThat(r.indexType()).isEqualTo("csi");
        BinIndex theirs = IngestIndexTest.read(Files.readAllBytes(Path.of(bcf + ".csi")));
        assertThat(IngestIndexTest.read(r.index()).describe()).isEqualTo(theirs.describe());
    }

    @Test
    void suppliedCsiIsCheckedAndKept() throws Exception {
        byte[] csi = Files.readAllBytes(Path.of(bcf + ".csi"));
        IngestResult r = IngestIndexTest.ingest(FileKind.BCF, bcf, dir.resolve("stored2.bcf"), csi);
        assertThat(r.index()).isEqualTo(csi);
        assertThat(r.indexType()).isEqualTo("csi");
        GenomicIndex named = GenomicIndex.read(new java.io.ByteArrayInputStream(csi))
                .withNames(List.of("chr1", "chr2", "chr10", "chrX", "chrM"));
        for (ContigStat c : r.metadata().contigs()) {
            assertThat(named.recordCount(c.name())).hasValue(c.records());
        }
    }

    @Test
    void csiOfAnotherBcfIsRejected() throws Exception {
        Path other = dir.resolve("o.bcf");
        Path ovcf = Fixtures.vcf(dir.resolve("o.vcf"), new Random(22), 25_000, Fixtures.CONTIGS, 3);
        Tools.run(dir, "bcftools", "view", "-Ob", "-o", other.toString(), ovcf.toString());
        Tools.run(dir, "bcftools", "index", "-f", other.toString());
        byte[] wrong = Files.readAllBytes(Path.of(other + ".csi"));
        assertThatThrownBy(() -> IngestIndexTest.ingest(FileKind.BCF, bcf, dir.resolve("stored3.bcf"), wrong))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("the supplied index does not match the file");
    }

    @Test
    void uncompressedBcfIsCompressedAndIndexedLikeBcftools() throws Exception {
        // bcftools -Ou still frames the data in (level 0) BGZF blocks: take the raw BCF stream instead
        Path ubcf = Files.write(dir.resolve("u.bcf"), Tools.run(dir, "bgzip", "-dc", bcf.toString()));
        Path stored = dir.resolve("stored4.bcf");
        IngestResult r = IngestIndexTest.ingest(FileKind.BCF, ubcf, stored, null);
        assertThat(r.recompressed()).isTrue();
        Tools.run(dir, "bcftools", "index", "-f", stored.toString());
        assertThat(IngestIndexTest.read(r.index()).describe())
                .isEqualTo(IngestIndexTest.read(Files.readAllBytes(Path.of(stored + ".csi")))
                        .describe());
        // bcftools reads the stored file and finds every record
        String body = new String(Tools.run(dir, "bcftools", "view", "-H", stored.toString()), StandardCharsets.UTF_8);
        assertThat(body.lines().count()).isEqualTo(25_000);
        assertThat(ours(r)).isEqualTo(bcftoolsCounts(stored));
    }

    @Test
    void bcfUploadedAsVcfAndVcfAsBcfAreRejected() throws Exception {
        Path gz = Tools.bgzip(vcf, dir.resolve("v.vcf.gz"));
        assertThatThrownBy(() -> IngestIndexTest.ingest(FileKind.VCF, bcf, dir.resolve("x1"), null))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("BCF");
        assertThatThrownBy(() -> IngestIndexTest.ingest(FileKind.BCF, gz, dir.resolve("x2"), null))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("not a BCF file");
    }

    @Test
    void unsortedBcfNamesTheRecord() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(vcf));
        int first = 0;
        while (lines.get(first).startsWith("#")) {
            first++;
        }
        // move a record of chr1 after the records of chr2: chr1 resumes
        String moved = lines.remove(first + 3);
        int at = first;
        while (!lines.get(at).startsWith("chr10\t")) {
            at++;
        }
        lines.add(at, moved);
        Path bad = Files.write(dir.resolve("bad.vcf"), lines);
        Path badBcf = dir.resolve("bad.bcf");
        Tools.run(dir, "bcftools", "view", "-Ob", "-o", badBcf.toString(), bad.toString());
        assertThatThrownBy(() -> IngestIndexTest.ingest(FileKind.BCF, badBcf, dir.resolve("x3"), null))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.where()).startsWith("record ");
                    assertThat(e.getMessage()).contains("not sorted");
                });
    }
}
