package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.omics.hts.internal.BinIndex;

/**
 * Ingest of generated VCF and BED files, plain and bgzipped: the stored object, the index Karyo builds (compared
 * bin by bin with tabix's) and region queries through it (compared with tabix's output).
 */
class IngestIndexTest {

    @TempDir
    Path dir;

    static IngestResult ingest(FileKind kind, Path upload, Path stored, byte[] index) throws Exception {
        try (InputStream in = Files.newInputStream(upload);
                OutputStream out = Files.newOutputStream(stored)) {
            return Ingest.run(kind, in, out, index, IngestLimits.defaults());
        }
    }

    static BinIndex read(byte[] b) throws IOException {
        return (BinIndex) GenomicIndex.read(new ByteArrayInputStream(b));
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    void checkBuiltIndex(FileKind kind, Path plain, boolean bgzipFirst, String tabixPreset, List<String> extraTabix)
            throws Exception {
        Path upload = bgzipFirst ? Tools.bgzip(plain, dir.resolve(plain.getFileName() + ".gz")) : plain;
        Path stored = dir.resolve("stored-" + plain.getFileName() + (bgzipFirst ? "-bgzip" : "-plain") + ".gz");
        IngestResult r = ingest(kind, upload, stored, null);

        assertThat(r.uploadSize()).isEqualTo(Files.size(upload));
        assertThat(r.uploadSha256()).isEqualTo(sha256(upload));
        assertThat(r.storedSha256()).isEqualTo(sha256(stored));
        assertThat(r.storedSize()).isEqualTo(Files.size(stored));
        assertThat(r.compressed()).isTrue();
        assertThat(r.recompressed()).isEqualTo(!bgzipFirst);
        if (bgzipFirst) {
            assertThat(Files.readAllBytes(stored)).isEqualTo(Files.readAllBytes(upload));
        } else {
            // our BGZF decompresses (with htslib) to the upload, byte for byte
            assertThat(Tools.run(dir, "bgzip", "-dc", stored.toString())).isEqualTo(Files.readAllBytes(plain));
        }
        // tabix indexes the stored file; our index must hold the same bins, chunks, linear index and pseudo-bins
        List<String> cmd = new ArrayList<>(List.of("tabix", "-f", "-p", tabixPreset));
        cmd.addAll(extraTabix);
        cmd.add(stored.toString());
        Tools.run(dir, cmd.toArray(String[]::new));
        String ext = extraTabix.contains("--csi") ? ".csi" : ".tbi";
        BinIndex theirs = read(Files.readAllBytes(Path.of(stored + ext)));
        BinIndex ours = read(r.index());
        assertThat(r.indexType()).isEqualTo(ext.substring(1));
        assertThat(ours.describe()).isEqualTo(theirs.describe());
        // and it answers tabix's queries
        Layout layout = kind == FileKind.VCF ? Layout.VCF : Layout.BED;
        Random rnd = new Random(7);
        List<List<String>> batches = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<String> regions = Fixtures.regions(rnd, 30, Fixtures.CONTIGS);
            String expected = tabix(stored, regions);
            assertThat(RegionReaderTabixTest.ours(stored, ours, layout, regions))
                    .as("regions %s", regions)
                    .isEqualTo(expected);
            batches.add(regions);
            answers.add(expected);
        }
        // tabix itself, given our index file (as GenomicIndex.write serialises it), answers the same
        try (OutputStream o = Files.newOutputStream(Path.of(stored + ext))) {
            ours.write(o);
        }
        for (int i = 0; i < batches.size(); i++) {
            assertThat(tabix(stored, batches.get(i))).isEqualTo(answers.get(i));
        }
        // counts per contig agree with the index's and bcftools/tabix's
        assertThat(r.metadata().records()).isEqualTo(lines(plain));
        for (ContigStat c : r.metadata().contigs()) {
            assertThat(theirs.recordCount(c.name())).hasValue(c.records());
        }
    }

    String tabix(Path data, List<String> regions) {
        List<String> cmd = new ArrayList<>(List.of("tabix", data.toString()));
        cmd.addAll(regions);
        return new String(Tools.run(dir, cmd.toArray(String[]::new)), StandardCharsets.UTF_8);
    }

    static long lines(Path plain) throws IOException {
        try (var s = Files.lines(plain)) {
            return s.filter(l -> !l.startsWith("#")).count();
        }
    }

    @Test
    void vcfPlainIsCompressedAndIndexedLikeTabix() throws Exception {
        Path vcf = Fixtures.vcf(dir.resolve("p.vcf"), new Random(11), 30_000, Fixtures.CONTIGS, 4);
        checkBuiltIndex(FileKind.VCF, vcf, false, "vcf", List.of());
    }

    @Test
    void vcfBgzippedIsStoredAsIsAndIndexedLikeTabix() throws Exception {
        Path vcf = Fixtures.vcf(dir.resolve("b.vcf"), new Random(12), 30_000, Fixtures.CONTIGS, 2);
        checkBuiltIndex(FileKind.VCF, vcf, true, "vcf", List.of());
    }

    @Test
    void bedPlainAndBgzipped() throws Exception {
        Path bed = Fixtures.bed(dir.resolve("x.bed"), new Random(13), 25_000, Fixtures.CONTIGS);
        checkBuiltIndex(FileKind.BED, bed, false, "bed", List.of());
        checkBuiltIndex(FileKind.BED, bed, true, "bed", List.of());
    }

    @Test
    void positionsBeyondTbiRangeGiveCsiLikeTabixCsi() throws Exception {
        List<Fixtures.Contig> big =
                List.of(new Fixtures.Contig("chr1", 2_000_000), new Fixtures.Contig("big", 900_000_000));
        Path vcf = Fixtures.vcf(dir.resolve("big.vcf"), new Random(14), 20_000, big, 1);
        Path upload = Tools.bgzip(vcf, dir.resolve("big.vcf.gz"));
        Path stored = dir.resolve("big-stored.vcf.gz");
        IngestResult r = ingest(FileKind.VCF, upload, stored, null);
        assertThat(r.indexType()).isEqualTo("csi");
        Tools.run(dir, "tabix", "-f", "--csi", "-p", "vcf", stored.toString());
        assertThat(read(r.index()).describe())
                .isEqualTo(read(Files.readAllBytes(Path.of(stored + ".csi"))).describe());
    }

    @Test
    void crlfLinesAreReadAsTabixReadsThem() throws Exception {
        Path lf = Fixtures.vcf(dir.resolve("lf.vcf"), new Random(16), 8_000, Fixtures.CONTIGS, 1);
        Path crlf = Files.writeString(
                dir.resolve("crlf.vcf"), Files.readString(lf).replace("\n", "\r\n"), StandardCharsets.UTF_8);
        checkBuiltIndex(FileKind.VCF, crlf, true, "vcf", List.of());
        checkBuiltIndex(FileKind.VCF, crlf, false, "vcf", List.of());
    }

    @Test
    void bcftoolsWrittenVcfGz() throws Exception {
        // bcftools flushes the header into blocks of its own: record offsets fall on block boundaries
        Path vcf = Fixtures.vcf(dir.resolve("bt.vcf"), new Random(17), 20_000, Fixtures.CONTIGS, 2);
        Path gz = dir.resolve("bt.vcf.gz");
        Tools.run(dir, "bcftools", "view", "-Oz", "-o", gz.toString(), vcf.toString());
        Path stored = dir.resolve("bt-stored.vcf.gz");
        IngestResult r = ingest(FileKind.VCF, gz, stored, null);
        Tools.run(dir, "tabix", "-f", "-p", "vcf", stored.toString());
        assertThat(read(r.index()).describe())
                .isEqualTo(read(Files.readAllBytes(Path.of(stored + ".tbi"))).describe());
        Tools.run(dir, "bcftools", "index", "-f", gz.toString());
        IngestResult withCsi =
                ingest(FileKind.VCF, gz, dir.resolve("bt-stored2.vcf.gz"), Files.readAllBytes(Path.of(gz + ".csi")));
        assertThat(withCsi.indexType()).isEqualTo("csi");
    }

    @Test
    void emptyVcfHasAnEmptyIndex() throws Exception {
        Path vcf = Fixtures.vcf(dir.resolve("e.vcf"), new Random(15), 0, Fixtures.CONTIGS, 1);
        checkBuiltIndex(FileKind.VCF, vcf, false, "vcf", List.of());
    }

    static byte[] bytes(ByteArrayOutputStream b) {
        return b.toByteArray();
    }
}
