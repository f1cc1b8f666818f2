package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Region queries answered by {@link RegionReader} against the same queries answered by Debian's tabix. */
class RegionReaderTabixTest {

    @TempDir
    static Path dir;

    static Path vcf;
    static Path bed;

    @BeforeAll
    static void generate() throws IOException {
        Random rnd = new Random(42);
        vcf = Tools.bgzip(
                Fixtures.vcf(dir.resolve("a.vcf"), rnd, 40_000, Fixtures.CONTIGS, 3), dir.resolve("a.vcf.gz"));
        Tools.run(dir, "tabix", "-p", "vcf", vcf.toString());
        Tools.run(dir, "tabix", "--csi", "-p", "vcf", "-f", vcf.toString());
        bed = Tools.bgzip(Fixtures.bed(dir.resolve("b.bed"), rnd, 30_000, Fixtures.CONTIGS), dir.resolve("b.bed.gz"));
        Tools.run(dir, "tabix", "-p", "bed", bed.toString());
        Files.copy(bed, dir.resolve("c.bed.gz"));
        Tools.run(dir, "tabix", "--csi", "-p", "bed", dir.resolve("c.bed.gz").toString());
    }

    static GenomicIndex index(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return GenomicIndex.read(in);
        }
    }

    static String ours(Path data, GenomicIndex idx, Layout layout, List<String> regions) throws IOException {
        return ours(data, idx, layout, regions, null);
    }

    /** The records {@link RegionReader} finds, read ahead on {@code readAhead} when not null. */
    static String ours(Path data, GenomicIndex idx, Layout layout, List<String> regions, Executor readAhead)
            throws IOException {
        RegionReader r = new RegionReader(new FileRangeSource(data), idx, layout, readAhead);
        List<Region> parsed = new ArrayList<>();
        for (String s : regions) {
            parsed.add(Region.parse(s));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.query(parsed, (b, off, len) -> {
            out.write(b, off, len);
            out.write('\n');
        });
        return out.toString(StandardCharsets.UTF_8);
    }

    static String tabix(Path data, List<String> regions) {
        List<String> cmd = new ArrayList<>(List.of("tabix", data.toString()));
        cmd.addAll(regions);
        return new String(Tools.run(dir, cmd.toArray(String[]::new)), StandardCharsets.UTF_8);
    }

    void crossCheck(Path data, Path idxFile, Layout layout, long seed) throws IOException {
        GenomicIndex idx = index(idxFile);
        Random rnd = new Random(seed);
        for (int batch = 0; batch < 6; batch++) {
            List<String> regions = Fixtures.regions(rnd, 40, Fixtures.CONTIGS);
            assertThat(ours(data, idx, layout, regions))
                    .as("regions %s", regions)
                    .isEqualTo(tabix(data, regions));
        }
        for (String single : Fixtures.regions(rnd, 60, Fixtures.CONTIGS)) {
            List<String> one = List.of(single);
            assertThat(ours(data, idx, layout, one)).as("region %s", single).isEqualTo(tabix(data, one));
        }
    }

    @Test
    void contigAliases() throws IOException {
        GenomicIndex idx = index(dir.resolve("a.vcf.gz.tbi"));
        assertThat(idx.resolve("1")).hasValue("chr1");
        assertThat(idx.resolve("chr1")).hasValue("chr1");
        assertThat(idx.resolve("MT")).hasValue("chrM");
        assertThat(idx.resolve("M")).hasValue("chrM");
        assertThat(idx.resolve("chr3")).isEmpty();
        assertThat(idx.contigs()).containsExactly("chr1", "chr2", "chr10", "chrX", "chrM");
        assertThat(ours(vcf, idx, Layout.VCF, List.of("1:1000000-1100000", "MT", "X:1-200000")))
                .isEqualTo(tabix(vcf, List.of("chr1:1000000-1100000", "chrM", "chrX:1-200000")))
                .isNotEmpty();
        assertThat(ours(vcf, idx, Layout.VCF, List.of("chr3:1-1000000", "nope")))
                .isEmpty();
    }

    @Test
    void headerIsTabixHeader() throws IOException {
        RegionReader r = new RegionReader(new FileRangeSource(vcf), index(dir.resolve("a.vcf.gz.tbi")), Layout.VCF);
        assertThat(new String(r.header(), StandardCharsets.UTF_8))
                .isEqualTo(new String(Tools.run(dir, "tabix", "-H", vcf.toString()), StandardCharsets.UTF_8));
        RegionReader b = new RegionReader(new FileRangeSource(bed), index(dir.resolve("b.bed.gz.tbi")), Layout.BED);
        assertThat(new String(b.header(), StandardCharsets.UTF_8))
                .isEqualTo(new String(Tools.run(dir, "tabix", "-H", bed.toString()), StandardCharsets.UTF_8));
    }

    @Test
    void odditiesOfTheRegionGrammarAsTabixReadsThem() throws IOException {
        GenomicIndex idx = index(dir.resolve("a.vcf.gz.tbi"));
        List<String> good = List.of(
                "chr1:0-100000",
                "chr1:",
                "chr1:-",
                "chr1:1k-20k",
                "chr1:1.5k-20.5k",
                "chr1:59000000-",
                "chr2:0",
                "chr1:1e6-1.2e6",
                "chr1:2,000,000-2,100,000",
                "chrM:-100",
                "chrX:1-1");
        for (String r : good) {
            assertThat(ours(vcf, idx, Layout.VCF, List.of(r))).as(r).isEqualTo(tabix(vcf, List.of(r)));
        }
        for (String bad : List.of("chr1:100-50", "chr1:abc", "chr1:10x", "chr1:-100-200", "chr1:10-20x")) {
            assertThat(tabix(vcf, List.of(bad))).as(bad).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Region.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void vcfWithTbi() throws IOException {
        crossCheck(vcf, dir.resolve("a.vcf.gz.tbi"), Layout.VCF, 1);
    }

    @Test
    void vcfWithCsi() throws IOException {
        crossCheck(vcf, dir.resolve("a.vcf.gz.csi"), Layout.VCF, 2);
    }

    @Test
    void bedWithTbi() throws IOException {
        crossCheck(bed, dir.resolve("b.bed.gz.tbi"), Layout.BED, 3);
    }

    @Test
    void bedWithCsi() throws IOException {
        crossCheck(dir.resolve("c.bed.gz"), dir.resolve("c.bed.gz.csi"), Layout.BED, 4);
    }
}
