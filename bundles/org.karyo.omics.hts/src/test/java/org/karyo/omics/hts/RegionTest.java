package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Region text as htslib's hts_parse_region reads it (tabix's flags: thousands separators, X:100 to the end). */
class RegionTest {

    static final long END = Long.MAX_VALUE;

    @Test
    void grammar() {
        assertThat(Region.parse("chr1")).isEqualTo(new Region("chr1", 1, END));
        assertThat(Region.parse("chr1:10000")).isEqualTo(new Region("chr1", 10000, END));
        assertThat(Region.parse("chr1:10,000-20,000")).isEqualTo(new Region("chr1", 10000, 20000));
        assertThat(Region.parse("chr1:-500")).isEqualTo(new Region("chr1", 1, 500));
        assertThat(Region.parse("chr1:100-")).isEqualTo(new Region("chr1", 100, END));
        assertThat(Region.parse("chr1:")).isEqualTo(new Region("chr1", 1, END));
        assertThat(Region.parse("chr1:0")).isEqualTo(new Region("chr1", 1, END));
        assertThat(Region.parse("chr1:0-100")).isEqualTo(new Region("chr1", 1, 100));
        assertThat(Region.parse("chr1:1k-2k")).isEqualTo(new Region("chr1", 1000, 2000));
        assertThat(Region.parse("chr1:1.5k-2.25M")).isEqualTo(new Region("chr1", 1500, 2_250_000));
        assertThat(Region.parse("chr1:1e3-2e3")).isEqualTo(new Region("chr1", 1000, 2000));
        assertThat(Region.parse("chr1:100-100")).isEqualTo(new Region("chr1", 100, 100));
        assertThat(Region.parse("{HLA-A*01:01}:1-100")).isEqualTo(new Region("HLA-A*01:01", 1, 100));
        assertThat(Region.parse("{HLA-A*01:01}")).isEqualTo(new Region("HLA-A*01:01", 1, END));
        assertThat(Region.parse("{chr1:5}:7")).isEqualTo(new Region("chr1:5", 7, END));
    }

    @Test
    void invalid() {
        for (String bad : new String[] {
            "", "chr1:100-50", "chr1:abc", "chr1:10x", "chr1:-100-200", "{chr1", "{chr1}x", ":100-200", "chr1:10-20x"
        }) {
            assertThatThrownBy(() -> Region.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("region");
        }
    }

    @Test
    void namesWithColonsWhenTheContigsAreKnown() {
        Set<String> contigs = Set.of("chr1", "HLA-DRB1*12:17", "chr1:100-200");
        assertThat(Region.parse("HLA-DRB1*12:17", contigs::contains)).isEqualTo(new Region("HLA-DRB1*12:17", 1, END));
        assertThat(Region.parse("HLA-DRB1*12:17:5-10", contigs::contains))
                .isEqualTo(new Region("HLA-DRB1*12:17", 5, 10));
        assertThatThrownBy(() -> Region.parse("chr1:100-200", contigs::contains))
                .hasMessageContaining("ambiguous");
        assertThat(Region.parse("{chr1}:100-200", contigs::contains)).isEqualTo(new Region("chr1", 100, 200));
        // without names, the text after the last colon is taken as coordinates
        assertThat(Region.parse("HLA-DRB1*12:17")).isEqualTo(new Region("HLA-DRB1*12", 17, END));
    }

    @Test
    void toStringRoundTrips() {
        for (String s : new String[] {"chr1:5-10", "chr1:5", "{a:b}:1-2"}) {
            assertThat(Region.parse(Region.parse(s).toString())).isEqualTo(Region.parse(s));
        }
    }
}
