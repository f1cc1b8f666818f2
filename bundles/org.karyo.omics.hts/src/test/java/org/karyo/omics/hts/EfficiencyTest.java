package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region queries on a 1M-record VCF (SNVs and indels: long structural variants make tabix, and us, read back to their
 * start) read a few blocks for a small region and one range for a whole contig.
 */
class EfficiencyTest {

    @TempDir
    static Path dir;

    static Path stored;
    static GenomicIndex index;

    @BeforeAll
    static void generate() throws Exception {
        Path vcf = Fixtures.vcf(dir.resolve("m.vcf"), new Random(61), 1_000_000, Fixtures.CONTIGS, 0, false);
        stored = dir.resolve("m.vcf.gz");
        IngestResult r = IngestIndexTest.ingest(FileKind.VCF, vcf, stored, null);
        Files.delete(vcf);
        index = GenomicIndex.read(new ByteArrayInputStream(r.index()));
    }

    @Test
    void aOneKilobaseQueryTouchesAFewBlocks() throws IOException {
        Random rnd = new Random(62);
        long size = Files.size(stored);
        for (int i = 0; i < 30; i++) {
            long start = 1 + rnd.nextInt(59_000_000);
            FileRangeSource src = new FileRangeSource(stored);
            RegionReader reader = new RegionReader(src, index, Layout.VCF);
            long[] n = {0};
            reader.query(List.of(new Region("chr1", start, start + 999)), (b, off, len) -> n[0]++);
            assertThat(src.opens.get()).as("ranged reads").isLessThanOrEqualTo(2);
            assertThat(src.served.get()).as("bytes read of %d", size).isLessThan(100_000);
        }
    }

    @Test
    void aWholeContigStreamsInOneRangedRead() throws IOException {
        FileRangeSource src = new FileRangeSource(stored);
        RegionReader reader = new RegionReader(src, index, Layout.VCF);
        long n = reader.query(List.of(Region.parse("chr10")), (b, off, len) -> {});
        assertThat(n).isEqualTo(index.recordCount("chr10").orElseThrow());
        assertThat(src.opens.get()).isLessThanOrEqualTo(2);
    }
}
