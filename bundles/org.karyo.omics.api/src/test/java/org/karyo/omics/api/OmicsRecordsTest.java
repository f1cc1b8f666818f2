package org.karyo.omics.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OmicsRecordsTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aliasesAreCopiedAndOrderedByName() {
        Map<String, String> aliases = new HashMap<>(Map.of("chr2", "2", "chr1", "1", "MT", "chrM"));
        ArtifactMetadata md =
                new ArtifactMetadata("VCFv4.2", List.of(), List.of(), List.of(), List.of(), List.of(), 0, null, null);
        Artifact a = new Artifact(
                1,
                2,
                null,
                "x.vcf",
                ArtifactKind.VCF,
                Compression.BGZF,
                IndexType.TBI,
                Assembly.GRCH38,
                aliases,
                "a",
                1,
                "b",
                "c",
                1,
                null,
                null,
                md,
                ArtifactState.AVAILABLE,
                3,
                "u",
                T,
                T,
                1);
        aliases.clear();
        assertThat(a.contigAliases())
                .containsExactly(Map.entry("MT", "chrM"), Map.entry("chr1", "1"), Map.entry("chr2", "2"));
        Artifact none = new Artifact(
                1,
                2,
                null,
                "x.vcf",
                ArtifactKind.VCF,
                Compression.BGZF,
                IndexType.TBI,
                Assembly.GRCH38,
                null,
                "a",
                1,
                "b",
                "c",
                1,
                null,
                null,
                md,
                ArtifactState.AVAILABLE,
                3,
                "u",
                T,
                T,
                1);
        assertThat(none.contigAliases()).isEmpty();
    }

    @Test
    void theLastPartHoldsTheRest() {
        Upload u = new Upload(
                1,
                2,
                null,
                ArtifactKind.VCF,
                "x.vcf",
                12,
                "s",
                "k",
                Assembly.GRCH38,
                null,
                null,
                false,
                5,
                3,
                List.of(),
                UploadState.RECEIVING,
                null,
                "u",
                T,
                T);
        assertThat(u.expectedPartSize(1)).isEqualTo(5);
        assertThat(u.expectedPartSize(2)).isEqualTo(5);
        assertThat(u.expectedPartSize(3)).isEqualTo(2);
    }

    @Test
    void aPatchWithoutFieldsChangesNothingAndNullsMeanAbsent() {
        ArtifactPatch p = new ArtifactPatch(null, null, null);
        assertThat(p.assembly()).isEmpty();
        assertThat(p.repository()).isEmpty();
        assertThat(p.participant()).isEmpty();
        ArtifactPatch unlink = new ArtifactPatch(null, Optional.of(Optional.empty()), Optional.of(Optional.empty()));
        assertThat(unlink.repository()).contains(Optional.empty());
    }

    @Test
    void queriesDefaultToEverythingNewestFirst() {
        ArtifactQuery q = new ArtifactQuery(null, null, null, "", null);
        assertThat(q.projects()).isEmpty();
        assertThat(q.kinds()).isEmpty();
        assertThat(q.sample()).isNull();
        assertThat(q.page().ordering()).isEqualTo(ArtifactQuery.DEFAULT_ORDERING);
        assertThat(new RecordsRequest(null, null, null).regions()).isEmpty();
    }
}
