package org.karyo.omics.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.HtsgetUrl;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.RecordFormat;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.omics.api.ReferenceAssembly;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.projects.api.ConsentState;

/**
 * Reading artifacts: region queries compared with Debian's {@code tabix} on the same file, the consent and rights
 * rules on sample columns, htsget tickets whose pieces reassemble to a valid file, downloads, changes and deletion.
 */
class ReadingTest extends OmicsTestBase {

    private static final List<String> SAMPLES = List.of("S1", "S2", "S3");

    private byte[] vcf;
    private Path reference;
    private long artifact;

    @BeforeEach
    void anArtifact() {
        vcf = Vcfs.vcf(101, 6000, SAMPLES);
        reference = Tools.write(tmp, "ref.vcf.gz", Tools.bgzip(tmp, vcf));
        Tools.run(tmp, "/usr/bin/tabix", "-p", "vcf", reference.toString());
        Job job = upload(vcf, ArtifactKind.VCF, "cohort.vcf");
        assertThat(job.state()).as(job.errorWhere() + ": " + job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        artifact = job.artifactId();
    }

    private String query(
            org.karyo.api.security.Caller caller, List<String> regions, List<String> samples, RecordFormat format) {
        RecordStream s = service.data.records(caller, artifact, new RecordsRequest(regions, samples, format));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> records(String vcfText) {
        List<String> out = new ArrayList<>();
        for (String line : vcfText.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    /** A structural variant of the file whose END reaches beyond its position by at least 100 bases. */
    private String[] structuralVariant() {
        for (String line : Vcfs.records(vcf)) {
            if (line.contains("SVTYPE=DEL")) {
                return line.split("\t");
            }
        }
        throw new AssertionError("the generated file has no structural variant");
    }

    @Test
    void regionQueriesAnswerExactlyWhatTabixAnswers() {
        String[] sv = structuralVariant();
        long svPos = Long.parseLong(sv[1]);
        String insideSv = sv[0] + ":" + (svPos + 50) + "-" + (svPos + 60); // after POS, before END
        List<List<String>> cases = List.of(
                List.of("chr1"),
                List.of("chr2:1000000"),
                List.of("chr1:1,000,000-1,200,000"),
                List.of("chrX:5000-90000"),
                List.of("chr2:1-50000", "chr1:300000-310000"),
                List.of(insideSv),
                List.of("chr1:1-1"),
                List.of("chr9:1-1000"));
        for (List<String> regions : cases) {
            List<String> expected = Tools.tabix(tmp, reference, false, regions.toArray(String[]::new));
            List<String> actual = records(query(ALICE, regions, null, null));
            assertThat(actual).as(regions.toString()).containsExactlyElementsOf(expected);
        }
        assertThat(records(query(ALICE, List.of(insideSv), null, null)))
                .as("a structural variant overlaps by its END")
                .anyMatch(l -> l.startsWith(sv[0] + "\t" + sv[1] + "\t"));
    }

    @Test
    void aVcfAnswerCarriesTheFileHeaderAndAContigAliasFindsTheContig() {
        String text = query(ALICE, List.of("1:10000-400000"), null, RecordFormat.VCF);
        List<String> expected = Tools.tabix(tmp, reference, true, "chr1:10000-400000");
        assertThat(List.of(text.split("\n"))).containsExactlyElementsOf(expected);
    }

    @Test
    void samplesAreChosenByNameInTheOrderAskedAndTheHeaderFollows() {
        String text = query(ALICE, List.of("chr2:1-200000"), List.of("S3", "S1"), RecordFormat.VCF);
        String chrom =
                text.lines().filter(l -> l.startsWith("#CHROM")).findFirst().orElseThrow();
        assertThat(chrom).isEqualTo("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS3\tS1");
        List<String> expected = Tools.tabix(tmp, reference, false, "chr2:1-200000");
        List<String> actual = records(text);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String[] f = expected.get(i).split("\t");
            String projected = String.join("\t", List.of(f).subList(0, 9)) + "\t" + f[11] + "\t" + f[9];
            assertThat(actual.get(i)).isEqualTo(projected);
        }
    }

    @Test
    void withoutTheGenotypesRightOnlyTheSitesAreShownAndAskingForASampleIsForbidden() {
        directory.revoke("alice", PROJECT, OmicsRights.READ_GENOTYPES);
        String text = query(ALICE, List.of("chr1:1-100000"), null, RecordFormat.VCF);
        assertThat(text.lines().filter(l -> l.startsWith("#CHROM")))
                .containsExactly("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
        List<String> expected = Tools.tabix(tmp, reference, false, "chr1:1-100000");
        List<String> actual = records(text);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).split("\t")).hasSize(8);
            assertThat(expected.get(i)).startsWith(actual.get(i) + "\t");
        }
        assertThatThrownBy(() ->
                        service.data.records(ALICE, artifact, new RecordsRequest(List.of("chr1"), List.of("S1"), null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("S1");
                });
    }

    @Test
    void aVisibleArtifactWhoseGenotypesMayNotBeReadIsForbiddenWithTheReasonNotHidden() {
        directory.revoke("alice", PROJECT, OmicsRights.READ_GENOTYPES);
        // the artifact is there for her (omics.read)...
        assertThat(service.artifacts.get(ALICE, artifact).id()).isEqualTo(artifact);
        // ...so the whole file is refused with the reason, not answered as if it did not exist
        assertThatThrownBy(
                        () -> service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, "chr1", null, null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains(OmicsRights.READ_GENOTYPES);
                });
        assertThatThrownBy(() -> service.data.download(ALICE, artifact))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains(OmicsRights.READ_GENOTYPES);
                });
        // a caller who may not see the artifact still gets NOT_FOUND
        assertThatThrownBy(() -> service.data.htsget(BOB, artifact, new HtsgetRequest(null, null, "chr1", null, null)))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> service.data.download(BOB, artifact))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void aWithdrawnConsentRemovesThatSampleAndRefusesItByName() {
        directory.participant(1, PROJECT, ConsentState.GIVEN, "S1");
        directory.participant(2, PROJECT, ConsentState.WITHDRAWN, "S2");
        // S3 matches no participant: no consent rule applies to it
        String text = query(ALICE, List.of("chrX"), null, RecordFormat.VCF);
        assertThat(text.lines().filter(l -> l.startsWith("#CHROM")))
                .containsExactly("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS3");
        List<String> expected = Tools.tabix(tmp, reference, false, "chrX");
        List<String> actual = records(text);
        for (int i = 0; i < expected.size(); i++) {
            String[] f = expected.get(i).split("\t");
            assertThat(actual.get(i)).isEqualTo(String.join("\t", List.of(f).subList(0, 10)) + "\t" + f[11]);
        }
        assertThatThrownBy(() -> service.data.records(
                        ALICE, artifact, new RecordsRequest(List.of("chrX"), List.of("S1", "S2"), null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("'S2'");
                    assertThat(e.extensions()).containsEntry("sample", "S2");
                });
        // the whole file holds S2's genotypes: neither htsget nor a download may serve it
        assertThatThrownBy(() -> service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, null, null, null)))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> service.data.download(ALICE, artifact))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        // an expired consent blocks too
        directory.participant(1, PROJECT, ConsentState.EXPIRED, "S1");
        assertThat(query(ALICE, List.of("chrX"), null, RecordFormat.VCF).lines().filter(l -> l.startsWith("#CHROM")))
                .containsExactly("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS3");
    }

    @Test
    void theArtifactsOwnParticipantsConsentGovernsEverySample() {
        directory.participant(5, PROJECT, ConsentState.PENDING);
        service.artifacts.update(
                ALICE, artifact, new ArtifactPatch(null, null, Optional.of(Optional.of(5L))), OptionalLong.empty());
        String text = query(ALICE, List.of("chr1:1-50000"), null, RecordFormat.VCF);
        assertThat(text.lines().filter(l -> l.startsWith("#CHROM")))
                .containsExactly("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
        directory.participant(5, PROJECT, ConsentState.GIVEN);
        assertThat(query(ALICE, List.of("chr1:1-50000"), null, RecordFormat.VCF)
                        .lines()
                        .filter(l -> l.startsWith("#CHROM")))
                .containsExactly("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3");
    }

    @Test
    void badRegionsUnknownSamplesAndWrongFormatsAreBadRequestsNamingTheParameter() {
        assertInvalid(new RecordsRequest(List.of(), null, null), "region");
        assertInvalid(new RecordsRequest(List.of("chr1:20-10x"), null, null), "region");
        assertInvalid(new RecordsRequest(List.of("chr1"), List.of("nobody"), null), "samples");
        assertInvalid(new RecordsRequest(List.of("chr1"), List.of("S1", "S1"), null), "samples");
        assertInvalid(new RecordsRequest(List.of("chr1"), null, RecordFormat.BED), "format");
        assertThat(audit.actions()).doesNotContain("omics.records.query");
    }

    private void assertInvalid(RecordsRequest request, String field) {
        assertThatThrownBy(() -> service.data.records(ALICE, artifact, request))
                .as(request.toString())
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors()).extracting(FieldError::field).contains(field);
                });
    }

    @Test
    void jsonRecordsCarryTheParsedColumnsAndOnlyTheVisibleSamples() throws Exception {
        directory.participant(2, PROJECT, ConsentState.WITHDRAWN, "S2");
        String text = query(ALICE, List.of("chr1:1-300000"), null, RecordFormat.JSON);
        JsonNode array = new ObjectMapper().readTree(text);
        List<String> expected = Tools.tabix(tmp, reference, false, "chr1:1-300000");
        assertThat(array.size()).isEqualTo(expected.size()).isPositive();
        for (int i = 0; i < expected.size(); i++) {
            String[] f = expected.get(i).split("\t");
            JsonNode r = array.get(i);
            assertThat(r.get("chrom").asText()).isEqualTo(f[0]);
            assertThat(r.get("pos").asLong()).isEqualTo(Long.parseLong(f[1]));
            assertThat(r.get("id").isNull()).isEqualTo(f[2].equals("."));
            assertThat(r.get("ref").asText()).isEqualTo(f[3]);
            assertThat(r.get("alt").get(0).asText()).isEqualTo(f[4].split(",")[0]);
            assertThat(r.get("qual").isNull()).isEqualTo(f[5].equals("."));
            assertThat(r.get("filter").get(0).asText()).isEqualTo(f[6]);
            assertThat(r.get("info").get("DP").asText()).isEqualTo(f[7].replaceAll(".*DP=([0-9]+).*", "$1"));
            assertThat(r.get("info").has("DB")).isEqualTo(f[7].contains(";DB"));
            assertThat(r.get("samples").fieldNames()).toIterable().containsExactly("S1", "S3");
            assertThat(r.get("samples").get("S1").get("GT").asText()).isEqualTo(f[9].split(":")[0]);
        }
    }

    @Test
    void anHtsgetTicketsPiecesReassembleIntoAValidFileWithTheRegionsRecords() throws Exception {
        String[] sv = structuralVariant();
        long svPos = Long.parseLong(sv[1]);
        // htsget coordinates are 0-based half-open: [start, end) is tabix's start+1..end
        long start = svPos + 49;
        long end = svPos + 60;
        HtsgetTicket ticket = service.data.htsget(ALICE, artifact, new HtsgetRequest("VCF", null, sv[0], start, end));
        assertThat(ticket.format()).isEqualTo("VCF");
        assertThat(ticket.urls().get(0).dataClass()).isEqualTo("header");
        assertThat(ticket.urls().get(0).url()).startsWith("data:");
        assertThat(ticket.urls().subList(1, ticket.urls().size()))
                .allMatch(u -> u.dataClass().equals("body"));

        byte[] assembled = assemble(ticket);
        Path file = Tools.write(tmp, "htsget.vcf.gz", assembled);
        // a valid BGZF VCF that bcftools reads to the end
        byte[] viewed = Tools.run(tmp, "/usr/bin/bcftools", "view", "--no-version", file.toString());
        String region = sv[0] + ":" + (start + 1) + "-" + end;
        List<String> expected = Tools.tabix(tmp, reference, false, region);
        List<String> got = records(new String(viewed, StandardCharsets.UTF_8));
        assertThat(got).containsAll(expected);
        assertThat(expected).isNotEmpty();
        // extra records are allowed by htsget, but only from the blocks that hold the region's
        assertThat(got).allMatch(l -> l.startsWith(sv[0] + "\t"));
        assertThat(new String(gunzip(assembled), StandardCharsets.UTF_8)).startsWith("##fileformat=VCFv4.2");

        HtsgetTicket header = service.data.htsget(ALICE, artifact, new HtsgetRequest(null, "header", null, null, null));
        String headerText = new String(gunzip(assemble(header)), StandardCharsets.UTF_8);
        assertThat(headerText.lines().toList()).containsExactlyElementsOf(Tools.tabix(tmp, reference, true, "chr9"));

        HtsgetTicket whole = service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, null, null, null));
        assertThat(whole.urls()).hasSize(1);
        assertThat(whole.urls().get(0).headers()).isEmpty();
        assertThat(audit.actions()).contains("omics.htsget.ticket");
    }

    @Test
    void htsgetRefusesBadRangesUnknownReferencesAndOtherFormats() {
        assertThatThrownBy(() -> service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, "chr1", 20L, 10L)))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.type()).isEqualTo("invalid-range"));
        assertThatThrownBy(() -> service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, null, 5L, null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("referenceName"));
        assertThatThrownBy(() -> service.data.htsget(ALICE, artifact, new HtsgetRequest("BAM", null, null, null, null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("format"));
        assertThatThrownBy(
                        () -> service.data.htsget(ALICE, artifact, new HtsgetRequest(null, null, "chr9", null, null)))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    private byte[] assemble(HtsgetTicket ticket) {
        String dataKey = Keys.artifactData(artifact, ArtifactKind.VCF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (HtsgetUrl u : ticket.urls()) {
            if (u.url().startsWith("data:")) {
                out.writeBytes(
                        Base64.getDecoder().decode(u.url().substring(u.url().indexOf(',') + 1)));
            } else {
                String range = u.headers().get("Range");
                if (range == null) {
                    out.writeBytes(Tools.bytes(store.get(dataKey)));
                } else {
                    String[] r = range.substring("bytes=".length()).split("-");
                    long from = Long.parseLong(r[0]);
                    long to = Long.parseLong(r[1]);
                    out.writeBytes(Tools.bytes(store.get(dataKey, from, to - from + 1)));
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aDownloadIsAShortLivedUrlWithTheStoredChecksums() {
        Download d = service.data.download(ALICE, artifact);
        Artifact a = service.artifacts.get(ALICE, artifact);
        assertThat(d.url()).isNotNull();
        assertThat(d.fileName()).isEqualTo("cohort.vcf.gz");
        assertThat(d.sha256()).isEqualTo(a.storedSha256());
        assertThat(d.md5()).isEqualTo(a.storedMd5());
        assertThat(d.size()).isEqualTo(a.storedSize());
        assertThat(audit.actions()).contains("omics.artifact.download");
    }

    @Test
    void aCallerWithoutRightsOnTheProjectGetsNotFoundEverywhereAndListsNothing() {
        List<Runnable> calls = List.of(
                () -> service.artifacts.get(BOB, artifact),
                () -> service.data.records(BOB, artifact, new RecordsRequest(List.of("chr1"), null, null)),
                () -> service.data.htsget(BOB, artifact, new HtsgetRequest(null, null, null, null, null)),
                () -> service.data.download(BOB, artifact),
                () -> service.artifacts.qcMetrics(BOB, artifact),
                () -> service.artifacts.update(
                        BOB, artifact, new ArtifactPatch(null, null, null), OptionalLong.empty()),
                () -> service.artifacts.delete(BOB, artifact, OptionalLong.empty()),
                () -> service.artifacts.get(ALICE, 987654));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(KaryoException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                assertThat(e.getMessage()).startsWith("artifact ");
            });
        }
        assertThat(service.artifacts.list(BOB, ArtifactQuery.all(null)).count()).isZero();
        assertThat(service.artifacts.list(ALICE, ArtifactQuery.all(null)).results())
                .extracting(Artifact::id)
                .containsExactly(artifact);
        assertThat(service.artifacts
                        .list(ALICE, new ArtifactQuery(Set.of(), Set.of(), null, "S2", null))
                        .count())
                .isEqualTo(1);
        assertThat(service.artifacts
                        .list(ALICE, new ArtifactQuery(Set.of(), Set.of(), null, "S9", null))
                        .count())
                .isZero();
        assertThat(service.artifacts
                        .list(
                                ALICE,
                                new ArtifactQuery(
                                        Set.of(),
                                        Set.of(ArtifactKind.BED),
                                        null,
                                        null,
                                        new PageRequest(20, 0, ArtifactQuery.DEFAULT_ORDERING)))
                        .count())
                .isZero();
    }

    @Test
    void descriptiveFieldsChangeWithOptimisticConcurrency() {
        Artifact a = service.artifacts.get(ALICE, artifact);
        directory.participant(3, PROJECT, ConsentState.GIVEN, "S1");
        Artifact changed = service.artifacts.update(
                ALICE,
                artifact,
                new ArtifactPatch(
                        Optional.of(new Assembly(ReferenceAssembly.OTHER, "T2T-CHM13v2.0")),
                        Optional.of(Optional.of(new RepositoryRef(RepositoryName.EGA, "EGAF00001234567"))),
                        Optional.of(Optional.of(3L))),
                OptionalLong.of(a.version()));
        assertThat(changed.version()).isEqualTo(a.version() + 1);
        assertThat(changed.assembly()).isEqualTo(new Assembly(ReferenceAssembly.OTHER, "T2T-CHM13v2.0"));
        assertThat(changed.repository()).isEqualTo(new RepositoryRef(RepositoryName.EGA, "EGAF00001234567"));
        assertThat(changed.participantId()).isEqualTo(3L);
        assertThat(service.artifacts.get(ALICE, artifact)).isEqualTo(changed);

        assertThatThrownBy(() -> service.artifacts.update(
                        ALICE, artifact, new ArtifactPatch(null, null, null), OptionalLong.of(a.version())))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PRECONDITION_FAILED));
        assertThatThrownBy(() -> service.artifacts.update(
                        ALICE,
                        artifact,
                        new ArtifactPatch(
                                null, Optional.of(Optional.of(new RepositoryRef(RepositoryName.SRA, null))), null),
                        OptionalLong.empty()))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("repository.id"));
        assertThatThrownBy(() -> service.artifacts.update(
                        ALICE,
                        artifact,
                        new ArtifactPatch(null, null, Optional.of(Optional.of(999L))),
                        OptionalLong.empty()))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("participant"));

        Artifact cleared = service.artifacts.update(
                ALICE,
                artifact,
                new ArtifactPatch(null, Optional.of(Optional.empty()), Optional.of(Optional.empty())),
                OptionalLong.empty());
        assertThat(cleared.repository()).isNull();
        assertThat(cleared.participantId()).isNull();
    }

    @Test
    void qcMetricsAreAttachedReplacedAndServedByPresignedUrl() {
        byte[] csv = "metric,value\nti_tv,2.1\n".getBytes(StandardCharsets.UTF_8);
        Artifact a = service.artifacts.putQcMetrics(
                ALICE, artifact, "qc.csv", "text/csv; charset=utf-8", new ByteArrayInputStream(csv), csv.length);
        assertThat(a.qcMetrics().sha256()).isEqualTo(Tools.sha256(csv));
        assertThat(a.qcMetrics().mediaType()).isEqualTo("text/csv");
        byte[] json = "{\"ti_tv\":2.1}".getBytes(StandardCharsets.UTF_8);
        Artifact b = service.artifacts.putQcMetrics(
                ALICE, artifact, null, "application/json", new ByteArrayInputStream(json), json.length);
        assertThat(b.qcMetrics().size()).isEqualTo(json.length);
        assertThat(keys(Keys.artifactPrefix(artifact)))
                .filteredOn(k -> k.contains("/qc-"))
                .hasSize(1);
        assertThat(service.artifacts.qcMetrics(ALICE, artifact).sha256()).isEqualTo(Tools.sha256(json));
        assertThatThrownBy(() -> service.artifacts.putQcMetrics(
                        ALICE, artifact, "qc.pdf", "application/pdf", new ByteArrayInputStream(json), json.length))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("Content-Type"));
    }

    @Test
    void deletingAnArtifactRemovesItsRowAndThenItsObjects() throws Exception {
        assertThat(keys(Keys.artifactPrefix(artifact))).hasSize(2);
        service.artifacts.delete(ALICE, artifact, OptionalLong.empty());
        assertThat(keys("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact_sample")).isZero();
        assertThatThrownBy(() -> service.artifacts.get(ALICE, artifact))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(audit.actions()).contains("omics.artifact.delete");
    }

    /** A sorted BED text of {@code n} features on each contig. */
    private static byte[] bed(List<String> contigs, int n, long seed) {
        StringBuilder bed = new StringBuilder();
        java.util.Random r = new java.util.Random(seed);
        for (String contig : contigs) {
            long pos = 0;
            for (int i = 0; i < n; i++) {
                pos += r.nextInt(2000);
                bed.append(contig)
                        .append('\t')
                        .append(pos)
                        .append('\t')
                        .append(pos + 1 + r.nextInt(5000))
                        .append("\tfeature")
                        .append(i)
                        .append('\t')
                        .append(r.nextInt(1000))
                        .append('\n');
            }
        }
        return bed.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Uploads a BED text and checks each region's records against tabix on the same text. */
    private Map<String, List<String>> assertBedRegionsAsTabix(byte[] plain, String name, List<String> regions) {
        Path ref = Tools.write(tmp, name + ".bed.gz", Tools.bgzip(tmp, plain));
        Tools.run(tmp, "/usr/bin/tabix", "-p", "bed", ref.toString());
        Job job = upload(plain, ArtifactKind.BED, name + ".bed");
        assertThat(job.state()).as(job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        Map<String, List<String>> found = new java.util.HashMap<>();
        for (String region : regions) {
            RecordStream s =
                    service.data.records(ALICE, job.artifactId(), new RecordsRequest(List.of(region), null, null));
            assertThat(s.mediaType()).isEqualTo("text/plain");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                s.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> lines = Tools.lines(out.toByteArray());
            assertThat(lines).as(region).containsExactlyElementsOf(Tools.tabix(tmp, ref, false, region));
            found.put(region, lines);
        }
        return found;
    }

    @Test
    void aBedFileIsQueriedWithBedCoordinatesAsTabixDoes() {
        assertBedRegionsAsTabix(
                bed(List.of("chr1", "chr2"), 2000, 5),
                "features",
                List.of("chr1:100000-200000", "chr2", "chr1:1-1", "chr2:500000"));
    }

    @Test
    void aContigNameHoldingColonsIsReadAsTabixReadsIt() {
        // GRCh38's HLA alt contigs hold colons: the whole text names the contig when the file has it
        String hla = "HLA-A*01:01:01:01";
        Map<String, List<String>> found = assertBedRegionsAsTabix(
                bed(List.of("chr1", hla), 300, 9),
                "hla",
                List.of(hla, hla + ":100-50000", "{" + hla + "}:100-50000", "chr1:1-30000"));
        assertThat(found.get(hla)).hasSize(300).allMatch(l -> l.startsWith(hla + "\t"));
        assertThat(found.get(hla + ":100-50000")).isNotEmpty().isEqualTo(found.get("{" + hla + "}:100-50000"));
        assertInvalid(new RecordsRequest(List.of("HLA-A*01:01:zz"), null, null), "region");
    }

    @Test
    void regionQueriesOnABcfFileAreUnprocessable() {
        Path plain = Tools.write(tmp, "b.vcf", Vcfs.vcf(102, 200, SAMPLES));
        byte[] bcf = Tools.run(tmp, "/usr/bin/bcftools", "view", "--no-version", "-Ob", plain.toString());
        NewUpload body = newUpload(bcf, ArtifactKind.BCF, "b.bcf", null);
        Job job = upload(body, bcf, null);
        assertThat(job.state()).as(job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        assertThatThrownBy(() ->
                        service.data.records(ALICE, job.artifactId(), new RecordsRequest(List.of("chr1"), null, null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNPROCESSABLE);
                    assertThat(e.type()).isEqualTo("bcf-region-query-unsupported");
                });
        assertThat(service.artifacts.get(ALICE, job.artifactId()).metadata().samples())
                .containsExactlyElementsOf(SAMPLES);
    }
}
