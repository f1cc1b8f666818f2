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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * htsget pieces concatenated as a client would: a valid BGZF VCF (bgzip -d, tabix and bcftools read it) holding every
 * record tabix finds in the region.
 */
class HtsgetTest {

    @TempDir
    static Path dir;

    static Path gz;
    static GenomicIndex index;

    @BeforeAll
    static void generate() throws Exception {
        Path vcf = Fixtures.vcf(dir.resolve("h.vcf"), new Random(51), 40_000, Fixtures.CONTIGS, 2);
        gz = dir.resolve("h.vcf.gz");
        IngestResult r = IngestIndexTest.ingest(FileKind.VCF, vcf, gz, null);
        index = GenomicIndex.read(new java.io.ByteArrayInputStream(r.index()));
        Tools.run(dir, "tabix", "-p", "vcf", gz.toString());
    }

    static byte[] assemble(Path file, List<HtsgetPiece> pieces) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileRangeSource src = new FileRangeSource(file);
        for (HtsgetPiece p : pieces) {
            if (p instanceof HtsgetPiece.Inline i) {
                out.write(i.bytes());
            } else if (p instanceof HtsgetPiece.Range r) {
                try (InputStream in = src.open(r.start(), r.endInclusive() - r.start() + 1)) {
                    in.transferTo(out);
                }
            }
        }
        return out.toByteArray();
    }

    void check(String name, List<String> regions) throws Exception {
        RegionReader reader = new RegionReader(new FileRangeSource(gz), index, Layout.VCF);
        List<Region> parsed = regions.stream().map(Region::parse).toList();
        List<HtsgetPiece> pieces = reader.htsgetPieces(parsed);
        assertThat(pieces.get(0)).isInstanceOf(HtsgetPiece.Inline.class);
        assertThat(((HtsgetPiece.Inline) pieces.get(pieces.size() - 1)).bytes()).hasSize(28);
        long last = -1;
        for (HtsgetPiece p : pieces) {
            if (p instanceof HtsgetPiece.Range r) {
                assertThat(r.start()).isGreaterThan(last);
                assertThat(r.endInclusive()).isGreaterThanOrEqualTo(r.start());
                last = r.endInclusive();
            }
        }
        Path out = Files.write(dir.resolve(name + ".vcf.gz"), assemble(gz, pieces));
        // a valid BGZF file whose text is a VCF: the header, then whole records
        String text = new String(Tools.run(dir, "bgzip", "-dc", out.toString()), StandardCharsets.UTF_8);
        assertThat(text).startsWith(new String(reader.header(), StandardCharsets.UTF_8));
        String body = new String(Tools.run(dir, "bcftools", "view", "-H", out.toString()), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(text.substring(reader.header().length));
        // filtered to the regions, the same records as tabix on the whole file
        Tools.run(dir, "tabix", "-f", "-p", "vcf", out.toString());
        for (String region : regions) {
            Region parsed1 = Region.parse(region);
            String explicit = parsed1.contig() + ":" + parsed1.start() + "-"
                    + (parsed1.end() == Long.MAX_VALUE ? "" : parsed1.end());
            String expected = new String(Tools.run(dir, "tabix", gz.toString(), region), StandardCharsets.UTF_8);
            assertThat(new String(Tools.run(dir, "tabix", out.toString(), region), StandardCharsets.UTF_8))
                    .as(region)
                    .isEqualTo(expected);
            assertThat(new String(
                            Tools.run(dir, "bcftools", "view", "-H", "-r", explicit, out.toString()),
                            StandardCharsets.UTF_8))
                    .as(region)
                    .isEqualTo(new String(
                            Tools.run(dir, "bcftools", "view", "-H", "-r", explicit, gz.toString()),
                            StandardCharsets.UTF_8));
        }
    }

    @Test
    void singleRegions() throws Exception {
        Random rnd = new Random(52);
        int i = 0;
        for (String r : Fixtures.regions(rnd, 25, Fixtures.CONTIGS)) {
            check("single" + i++, List.of(r));
        }
    }

    @Test
    void severalRegionsAndWholeContigs() throws Exception {
        check("multi", List.of("chr2:100000-400000", "chr1:1000000-1200000", "chrX", "chr1:1100000-5000000"));
        check("whole", List.of("chr1"));
        check("none", List.of("chr2:1-2"));
    }

    @Test
    void piecesHoldFewBytesBeyondTheRegion() throws Exception {
        RegionReader reader = new RegionReader(new FileRangeSource(gz), index, Layout.VCF);
        List<HtsgetPiece> pieces = reader.htsgetPieces(List.of(Region.parse("chr1:30000000-30001000")));
        long total = 0;
        for (HtsgetPiece p : pieces) {
            total += p instanceof HtsgetPiece.Range r
                    ? r.endInclusive() - r.start() + 1
                    : ((HtsgetPiece.Inline) p).bytes().length;
        }
        assertThat(total - ((HtsgetPiece.Inline) pieces.get(0)).bytes().length).isLessThan(300_000);
        List<String> kinds = new ArrayList<>();
        pieces.forEach(p -> kinds.add(p.getClass().getSimpleName()));
        assertThat(kinds.get(0)).isEqualTo("Inline");
    }
}
