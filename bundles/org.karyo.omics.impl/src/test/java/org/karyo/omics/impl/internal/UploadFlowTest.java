package org.karyo.omics.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.JobEvent;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.IndexDeclaration;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.PartUrl;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadResult;
import org.karyo.omics.api.UploadState;
import org.karyo.testing.RecordingAuditTrail;

/** The upload protocol end to end: parts, resumption, completion, the validation job and what it leaves behind. */
class UploadFlowTest extends OmicsTestBase {

    private static final List<String> SAMPLES = List.of("S1", "S2", "S3", "S4");

    @Test
    void partsSentOutOfOrderAndResentBecomeAnArtifactWithItsMetadataAndIndex() throws Exception {
        byte[] vcf = Vcfs.vcf(42, 170_000, SAMPLES); // about 12 MiB: three parts of 5 MiB
        UploadResult started = service.uploads.create(ALICE, newUpload(vcf, ArtifactKind.VCF, "cohort.vcf", null));
        Upload u = started.upload();
        assertThat(started.created()).isTrue();
        assertThat(u.partSize()).isEqualTo(5 * MIB);
        assertThat(u.partCount()).isEqualTo((int) ((vcf.length + 5 * MIB - 1) / (5 * MIB)));
        assertThat(u.partCount()).isGreaterThanOrEqualTo(3);
        assertThat(u.state()).isEqualTo(UploadState.RECEIVING);

        sendPart(ALICE, u, vcf, 3);
        sendPart(ALICE, u, vcf, 1);
        // a client that resumes asks which parts arrived
        assertThat(service.uploads.get(ALICE, u.id()).parts())
                .extracting(UploadPart::number)
                .containsExactly(1, 3);
        sendPart(ALICE, u, vcf, 1); // sent again: replaces it
        for (int n = 2; n <= u.partCount(); n++) {
            if (n != 3) {
                sendPart(ALICE, u, vcf, n);
            }
        }
        assertThat(service.uploads.get(ALICE, u.id()).parts()).hasSize(u.partCount());

        Job queued = service.uploads.complete(ALICE, u.id());
        assertThat(queued.state()).isIn(JobState.RECEIVED, JobState.VALIDATING, JobState.AVAILABLE);
        Job job = awaitJob(u.id());
        assertThat(job.state()).as(job.errorWhere() + " " + job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        assertThat(service.uploads.complete(ALICE, u.id()).id())
                .as("completing again")
                .isEqualTo(job.id());

        Artifact a = service.artifacts.get(ALICE, job.artifactId());
        assertThat(a.projectId()).isEqualTo(PROJECT);
        assertThat(a.kind()).isEqualTo(ArtifactKind.VCF);
        assertThat(a.compression()).isEqualTo(Compression.BGZF);
        assertThat(a.indexType()).isEqualTo(IndexType.TBI);
        assertThat(a.uploadSha256()).isEqualTo(Tools.sha256(vcf));
        assertThat(a.uploadSize()).isEqualTo(vcf.length);
        assertThat(a.metadata().samples()).containsExactlyElementsOf(SAMPLES);
        List<String> records = Vcfs.records(vcf);
        assertThat(a.metadata().records()).isEqualTo(records.size());
        assertThat(a.metadata().contigs()).extracting(Contig::name).containsExactly(Vcfs.CONTIGS);
        for (Contig c : a.metadata().contigs()) {
            long expected =
                    records.stream().filter(l -> l.startsWith(c.name() + "\t")).count();
            assertThat(c.records()).as(c.name()).isEqualTo(expected);
        }
        assertThat(a.metadata().contigs().get(0).length()).isEqualTo(Vcfs.LENGTHS[0]);
        assertThat(a.metadata().info()).extracting(d -> d.id()).contains("DP", "AF", "END", "SVTYPE", "DB");
        assertThat(a.metadata().format()).extracting(d -> d.id()).containsExactly("GT", "DP");
        assertThat(a.metadata().filter()).extracting(d -> d.id()).contains("PASS", "q10");
        assertThat(a.contigAliases()).containsEntry("1", "chr1").containsEntry("X", "chrX");
        assertThat(a.state()).isNotNull();

        // the stored object is BGZF with the checksums the row records; the staged objects are gone
        String dataKey = Keys.artifactData(a.id(), ArtifactKind.VCF);
        assertThat(keys("omics/")).containsExactlyInAnyOrder(dataKey, dataKey + ".tbi");
        byte[] stored = Tools.bytes(store.get(dataKey));
        assertThat(stored.length).isEqualTo(a.storedSize());
        assertThat(Tools.sha256(stored)).isEqualTo(a.storedSha256());
        Path storedFile = Tools.write(tmp, "stored.vcf.gz", stored);
        byte[] roundTrip = Tools.run(tmp, "/usr/bin/bgzip", "-dc", storedFile.toString());
        assertThat(roundTrip).isEqualTo(vcf);
        assertThat(store.listMultipartUploads("omics/")).isEmpty();

        assertThat(audit.actions()).contains("omics.upload.create", "omics.upload.complete", "omics.artifact.create");
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.COMPLETED);
    }

    @Test
    void aBgzippedVcfWithItsOwnTabixIndexKeepsThatIndex() {
        byte[] plain = Vcfs.vcf(7, 3000, SAMPLES);
        byte[] gz = Tools.bgzip(tmp, plain);
        Path file = Tools.write(tmp, "given.vcf.gz", gz);
        Tools.run(tmp, "/usr/bin/tabix", "-p", "vcf", file.toString());
        byte[] tbi = Tools.bytes(fileStream(tmp.resolve("given.vcf.gz.tbi")));

        Job job = upload(
                newUpload(
                        gz,
                        ArtifactKind.VCF,
                        "given.vcf.gz",
                        new IndexDeclaration("tbi", (long) tbi.length, Tools.sha256(tbi))),
                gz,
                tbi);
        assertThat(job.state()).as(job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        Artifact a = service.artifacts.get(ALICE, job.artifactId());
        assertThat(a.indexType()).isEqualTo(IndexType.TBI);
        assertThat(a.storedSha256()).as("stored as uploaded").isEqualTo(Tools.sha256(gz));
        assertThat(a.uploadSha256()).isEqualTo(Tools.sha256(gz));
        assertThat(a.metadata().records()).isEqualTo(Vcfs.records(plain).size());
    }

    @Test
    void aTabixIndexDeclaredAsCsiIsRefusedNamingIndexTypeAndNothingIsKept() {
        byte[] gz = Tools.bgzip(tmp, Vcfs.vcf(7, 3000, SAMPLES));
        Path file = Tools.write(tmp, "declared.vcf.gz", gz);
        Tools.run(tmp, "/usr/bin/tabix", "-p", "vcf", file.toString());
        byte[] tbi = Tools.bytes(fileStream(tmp.resolve("declared.vcf.gz.tbi")));
        Upload u = service.uploads
                .create(
                        ALICE,
                        newUpload(
                                gz,
                                ArtifactKind.VCF,
                                "declared.vcf.gz",
                                new IndexDeclaration("csi", (long) tbi.length, Tools.sha256(tbi))))
                .upload();
        sendParts(ALICE, u, gz);
        assertThatThrownBy(() -> service.uploads.putIndex(ALICE, u.id(), new ByteArrayInputStream(tbi), tbi.length))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNPROCESSABLE);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("index.type");
                    assertThat(e.getMessage()).contains(".tbi").contains("csi");
                });
        assertThat(keys("omics/uploads/" + u.id() + "/index")).isEmpty();
        assertThat(service.uploads.get(ALICE, u.id()).indexReceived()).isFalse();
        // so the upload cannot complete as a CSI-indexed artifact holding a tabix index
        assertThatThrownBy(() -> service.uploads.complete(ALICE, u.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.type()).isEqualTo("index-missing"));
    }

    @Test
    void anIndexThatIsNotTheDeclaredOneIsRefusedAndCompletionWaitsForTheDeclaredIndex() {
        byte[] gz = Tools.bgzip(tmp, Vcfs.vcf(8, 500, SAMPLES));
        byte[] index = "not the index".getBytes(StandardCharsets.US_ASCII);
        NewUpload body = newUpload(
                gz,
                ArtifactKind.VCF,
                "x.vcf.gz",
                new IndexDeclaration("TBI", (long) index.length, Tools.sha256("other".getBytes())));
        Upload u = service.uploads.create(ALICE, body).upload();
        sendParts(ALICE, u, gz);
        assertThatThrownBy(() -> service.uploads.complete(ALICE, u.id()))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.type()).isEqualTo("index-missing");
                });
        assertThatThrownBy(() -> service.uploads.putIndex(ALICE, u.id(), new ByteArrayInputStream(index), index.length))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("index.sha256"));
        assertThatThrownBy(() -> service.uploads.putIndex(ALICE, u.id(), new ByteArrayInputStream(index), 3))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("Content-Length"));
        assertThat(keys("omics/uploads/" + u.id() + "/index")).isEmpty();
    }

    @Test
    void completingWithMissingPartsNamesThemAndPartsOfTheWrongSizeAreRefused() {
        byte[] vcf = Vcfs.vcf(9, 90_000, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "x.vcf", null))
                .upload();
        assertThat(u.partCount()).isGreaterThanOrEqualTo(2);
        sendPart(ALICE, u, vcf, 1);
        assertThatThrownBy(() -> service.uploads.complete(ALICE, u.id()))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.type()).isEqualTo("upload-incomplete");
                    assertThat(e.getMessage()).contains("2");
                    assertThat(e.extensions().get("missing_parts")).isEqualTo(List.of(2));
                });
        assertThatThrownBy(() -> service.uploads.putPart(ALICE, u.id(), 2, new ByteArrayInputStream(vcf), 10))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("Content-Length"));
        assertThatThrownBy(() ->
                        service.uploads.putPart(ALICE, u.id(), u.partCount() + 1, new ByteArrayInputStream(vcf), 1))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("part"));
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.RECEIVING);
    }

    @Test
    void aPresignedPartUrlNamesThePartAndItsSize() {
        byte[] vcf = Vcfs.vcf(10, 100, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "x.vcf", null))
                .upload();
        PartUrl url = service.uploads.presignPart(ALICE, u.id(), 1);
        assertThat(url.method()).isEqualTo("PUT");
        assertThat(url.size()).isEqualTo(vcf.length);
        assertThat(url.url()).isNotNull();
        assertThat(url.expiresAt()).isAfter(Instant.now());
        assertThatThrownBy(() -> service.uploads.presignPart(BOB, u.id(), 1))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameUploadAndAnotherBodyAConflict() {
        byte[] vcf = Vcfs.vcf(11, 100, SAMPLES);
        NewUpload body = newUpload(vcf, ArtifactKind.VCF, "x.vcf", null);
        UploadResult first = service.uploads.create(ALICE, body);
        sendPart(ALICE, first.upload(), vcf, 1);
        UploadResult again = service.uploads.create(ALICE, body);
        assertThat(again.created()).isFalse();
        assertThat(again.upload().id()).isEqualTo(first.upload().id());
        assertThat(again.upload().parts()).hasSize(1);

        NewUpload other = new NewUpload(
                body.project(),
                body.kind(),
                body.size(),
                body.sha256(),
                body.idempotencyKey(),
                "renamed.vcf",
                body.assembly(),
                null,
                null,
                null);
        assertThatThrownBy(() -> service.uploads.create(ALICE, other))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.type()).isEqualTo("idempotency-key-reused");
                });
        // the key is per caller: another user may use it
        directory.grant("carol", PROJECT, org.karyo.omics.api.OmicsRights.UPLOAD);
        UploadResult carol = service.uploads.create(org.karyo.testing.TestCallers.withEveryRight("carol"), body);
        assertThat(carol.created()).isTrue();
        assertThat(service.uploads
                        .list(ALICE, new ListQuery(Set.of(PROJECT), null))
                        .count())
                .isEqualTo(2);
    }

    @Test
    void theProjectQuotaCountsStoredFilesAndUploadsInFlightAndTheMaximumSizeIsEnforced() {
        service.stop();
        service = newService(settings(100_000));
        byte[] small = Vcfs.vcf(12, 300, SAMPLES);
        assertThat(small.length).isLessThan(100_000);
        Job job = upload(small, ArtifactKind.VCF, "a.vcf");
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
        long stored = service.artifacts.get(ALICE, job.artifactId()).storedSize();

        long room = 100_000 - stored;
        NewUpload fits = withSize(newUpload(small, ArtifactKind.VCF, "b.vcf", null), room);
        service.uploads.create(ALICE, fits); // in flight: counts too
        NewUpload over = withSize(newUpload(small, ArtifactKind.VCF, "c.vcf", null), 1);
        assertThatThrownBy(() -> service.uploads.create(ALICE, over))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.type()).isEqualTo("quota-exceeded");
                    assertThat(e.extensions()).containsEntry("quota_bytes", 100_000L);
                });

        NewUpload huge = withSize(newUpload(small, ArtifactKind.VCF, "d.vcf", null), (1L << 30) + 1);
        assertThatThrownBy(() -> service.uploads.create(ALICE, huge))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("size");
                });
    }

    private static NewUpload withSize(NewUpload u, long size) {
        return new NewUpload(
                u.project(),
                u.kind(),
                size,
                u.sha256(),
                u.idempotencyKey(),
                u.fileName(),
                u.assembly(),
                u.participant(),
                u.repository(),
                u.index());
    }

    @Test
    void anUnsortedFileIsRejectedNamingTheLineAndLeavesNoObjectAndNoRow() throws Exception {
        byte[] sorted = Vcfs.vcf(13, 200, SAMPLES);
        List<String> lines =
                new java.util.ArrayList<>(List.of(new String(sorted, StandardCharsets.US_ASCII).split("\n")));
        int firstRecord = (int) lines.stream().takeWhile(l -> l.startsWith("#")).count();
        String swap = lines.get(firstRecord + 5);
        lines.set(firstRecord + 5, lines.get(firstRecord + 6));
        lines.set(firstRecord + 6, swap);
        byte[] unsorted = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);

        Job job = upload(unsorted, ArtifactKind.VCF, "unsorted.vcf");
        assertThat(job.state()).isEqualTo(JobState.REJECTED);
        assertThat(job.errorWhere()).startsWith("line ");
        assertThat(job.errorMessage()).isNotBlank();
        assertThat(job.artifactId()).isNull();
        assertThat(keys("omics/")).isEmpty();
        assertThat(store.listMultipartUploads("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
        assertThat(service.uploads.get(ALICE, job.uploadId()).state()).isEqualTo(UploadState.REJECTED);
        assertThat(audit.actions()).contains("omics.upload.validate").doesNotContain("omics.artifact.create");
    }

    @Test
    void aFileThatIsNotAVcfIsRejected() throws Exception {
        byte[] junk = "this is not a VCF\njust text\n".getBytes(StandardCharsets.US_ASCII);
        Job job = upload(junk, ArtifactKind.VCF, "junk.vcf");
        assertThat(job.state()).isEqualTo(JobState.REJECTED);
        assertThat(keys("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
    }

    @Test
    void theConfiguredIngestLimitsApply() throws Exception {
        service.stop();
        Settings d = settings(0);
        service = newService(new Settings(
                d.maxUploadBytes(),
                d.projectQuotaBytes(),
                d.partSizeBytes(),
                d.presignExpiry(),
                d.ticketExpiry(),
                d.downloadExpiry(),
                d.uploadExpiry(),
                d.maxIndexBytes(),
                d.maxQcBytes(),
                new org.karyo.omics.hts.IngestLimits(1 << 20, 5, 1 << 20),
                d.jobThreads(),
                d.maxJobAttempts(),
                d.indexCacheEntries(),
                d.maxRegions(),
                d.maxPageSize(),
                d.readAheadThreads()));
        // a small bgzip file that inflates far beyond its size: refused as a bomb, nothing kept
        byte[] plain = Vcfs.vcf(24, 20, SAMPLES);
        byte[] padded = new byte[plain.length + 4_000_000];
        System.arraycopy(plain, 0, padded, 0, plain.length);
        java.util.Arrays.fill(padded, plain.length, padded.length, (byte) '#');
        byte[] bomb = Tools.bgzip(tmp, padded);
        assertThat(bomb.length).isLessThan(padded.length / 50);
        Job job = upload(bomb, ArtifactKind.VCF, "bomb.vcf.gz");
        assertThat(job.state()).isEqualTo(JobState.REJECTED);
        assertThat(keys("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
    }

    @Test
    void bytesThatDoNotMatchTheDeclaredChecksumAreRejectedAndLeaveNothing() throws Exception {
        byte[] vcf = Vcfs.vcf(14, 200, SAMPLES);
        NewUpload lying = new NewUpload(
                PROJECT,
                ArtifactKind.VCF,
                (long) vcf.length,
                Tools.sha256("something else".getBytes()),
                "k-checksum",
                "x.vcf",
                Assembly.GRCH38,
                null,
                null,
                null);
        Job job = upload(lying, vcf, null);
        assertThat(job.state()).isEqualTo(JobState.REJECTED);
        assertThat(job.errorWhere()).isEqualTo("checksum");
        assertThat(keys("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
    }

    @Test
    void aTruncatedBgzipFileIsRejected() throws Exception {
        byte[] gz = Tools.bgzip(tmp, Vcfs.vcf(15, 2000, SAMPLES));
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length - 200);
        Job job = upload(truncated, ArtifactKind.VCF, "cut.vcf.gz");
        assertThat(job.state()).isEqualTo(JobState.REJECTED);
        assertThat(keys("omics/")).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_omics.artifact")).isZero();
    }

    @Test
    void aParquetFileKeepsItsSchemaFromTheFooterAndAnswersNoRegionQuery() {
        byte[] parquet = Parquets.withColumns();
        Job job = upload(parquet, ArtifactKind.PARQUET, "variants.parquet");
        assertThat(job.state()).as(job.errorWhere() + ": " + job.errorMessage()).isEqualTo(JobState.AVAILABLE);
        Artifact a = service.artifacts.get(ALICE, job.artifactId());
        assertThat(a.compression()).isEqualTo(Compression.NONE);
        assertThat(a.indexType()).isEqualTo(IndexType.NONE);
        assertThat(a.storedSha256()).isEqualTo(Tools.sha256(parquet));
        assertThat(a.metadata().parquet().rows()).isZero();
        assertThat(a.metadata().parquet().createdBy()).isEqualTo("karyo-test");
        assertThat(a.metadata().parquet().columns())
                .extracting(c -> c.path() + ":" + c.physicalType() + ":" + c.repetition())
                .containsExactly("chrom:BYTE_ARRAY:REQUIRED", "pos:INT64:OPTIONAL");
        assertThat(keys("omics/")).containsExactly(Keys.artifactData(a.id(), ArtifactKind.PARQUET));
        assertThatThrownBy(() -> service.data.records(ALICE, a.id(), new RecordsRequest(List.of("chr1"), null, null)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNPROCESSABLE);
                    assertThat(e.type()).isEqualTo("parquet-region-query-unsupported");
                });
    }

    @Test
    void badUploadBodiesNameEveryBadField() {
        NewUpload bad = new NewUpload(
                null,
                null,
                -1L,
                "xyz",
                "has space",
                "../etc/passwd",
                new Assembly(org.karyo.omics.api.ReferenceAssembly.OTHER, null),
                0L,
                new RepositoryRef(RepositoryName.EGA, null),
                new IndexDeclaration("bai", 0L, null));
        assertThatThrownBy(() -> service.uploads.create(ALICE, bad)).isInstanceOfSatisfying(KaryoException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.errors())
                    .extracting(FieldError::field)
                    .contains(
                            "project",
                            "kind",
                            "size",
                            "sha256",
                            "idempotency_key",
                            "file_name",
                            "assembly.name",
                            "participant",
                            "repository.id",
                            "index.type",
                            "index.size",
                            "index.sha256");
        });
        byte[] vcf = Vcfs.vcf(16, 10, SAMPLES);
        NewUpload badAccession = new NewUpload(
                PROJECT,
                ArtifactKind.VCF,
                (long) vcf.length,
                Tools.sha256(vcf),
                "k",
                "x.vcf",
                Assembly.GRCH38,
                null,
                new RepositoryRef(RepositoryName.GEO, "EGAF00000000001"),
                null);
        assertThatThrownBy(() -> service.uploads.create(ALICE, badAccession))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("repository.id"));
        assertThat(keys("omics/")).isEmpty();
    }

    @Test
    void aParticipantOutsideTheProjectAndAProjectTheCallerMayNotSeeAreRefused() {
        byte[] vcf = Vcfs.vcf(17, 10, SAMPLES);
        directory.participant(77, OTHER_PROJECT, org.karyo.projects.api.ConsentState.GIVEN, "S1");
        NewUpload u = newUpload(vcf, ArtifactKind.VCF, "x.vcf", null);
        NewUpload withParticipant = new NewUpload(
                u.project(), u.kind(), u.size(), u.sha256(), "k2", u.fileName(), u.assembly(), 77L, null, null);
        assertThatThrownBy(() -> service.uploads.create(ALICE, withParticipant))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("participant"));
        assertThatThrownBy(() -> service.uploads.create(BOB, u))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        directory.project(PROJECT, false);
        assertThatThrownBy(() -> service.uploads.create(ALICE, u)).isInstanceOfSatisfying(KaryoException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.type()).isEqualTo("project-inactive");
        });
        assertThat(keys("omics/")).isEmpty();
    }

    @Test
    void onlyTheCreatorSendsPartsAndACallerWithoutRightsSeesNothing() {
        byte[] vcf = Vcfs.vcf(18, 10, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "x.vcf", null))
                .upload();
        assertThatThrownBy(() -> service.uploads.get(BOB, u.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> sendPart(BOB, u, vcf, 1))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        directory.grant("dave", PROJECT, org.karyo.omics.api.OmicsRights.UPLOAD);
        org.karyo.api.security.Caller dave = org.karyo.testing.TestCallers.withEveryRight("dave");
        assertThat(service.uploads.get(dave, u.id()).id()).isEqualTo(u.id());
        assertThatThrownBy(() -> sendPart(dave, u, vcf, 1))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThat(service.uploads.list(BOB, new ListQuery(Set.of(), null)).count())
                .isZero();
    }

    @Test
    void anAbortedUploadDropsItsPartsAndRefusesMore() {
        byte[] vcf = Vcfs.vcf(19, 100, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "x.vcf", null))
                .upload();
        sendParts(ALICE, u, vcf);
        service.uploads.abort(ALICE, u.id());
        assertThat(store.listMultipartUploads("omics/")).isEmpty();
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.ABORTED);
        assertThatThrownBy(() -> service.uploads.complete(ALICE, u.id()))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.type()).isEqualTo("upload-not-receiving");
                });
        assertThat(audit.actions()).contains("omics.upload.abort");
    }

    @Test
    void uploadsLeftCompletingWithoutAPlatformJobAreQueuedAtActivation() throws Exception {
        byte[] vcf = Vcfs.vcf(20, 300, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "x.vcf", null))
                .upload();
        sendParts(ALICE, u, vcf);
        service.stop();
        // as the V2 migration leaves an upload whose job was in the module's old job table: COMPLETING, no job
        sql("UPDATE karyo_omics.upload SET state = 'COMPLETING', job_id = NULL WHERE id = " + u.id());

        service = newService(settings(0));
        Job requeued = awaitJob(u.id());
        assertThat(requeued.state()).as(requeued.errorMessage()).isEqualTo(JobState.AVAILABLE);
        assertThat(requeued.progress().done()).isEqualTo(vcf.length);
        assertThat(requeued.progress().total()).isEqualTo((long) vcf.length);
        assertThat(requeued.progress().unit()).isEqualTo("bytes");
        // the same job on the platform's side, keyed by its upload
        org.karyo.jobs.api.Job platform = service.platform.service().get(Caller.SYSTEM, requeued.id());
        assertThat(platform.type()).isEqualTo(Job.TYPE);
        assertThat(platform.key()).isEqualTo("upload-" + u.id());
        assertThat(platform.result()).containsEntry("artifact_id", Long.toString(requeued.artifactId()));
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.COMPLETED);
    }

    @Test
    void aCancelledValidationEndsVisiblyAndTheUploadCanBeCompletedAgain() {
        byte[] vcf = Vcfs.vcf(22, 100_000, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "big.vcf", null))
                .upload();
        sendParts(ALICE, u, vcf);
        // the owner cancels once validation reported its first progress: the job is reading the file
        AtomicBoolean asked = new AtomicBoolean();
        service.platform.listener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS && asked.compareAndSet(false, true)) {
                service.platform.service().cancel(ALICE, e.job().id());
            }
        });
        Job queued = service.uploads.complete(ALICE, u.id());
        Job cancelled = awaitJob(u.id());
        assertThat(cancelled.id()).isEqualTo(queued.id());
        assertThat(cancelled.state()).as(cancelled.errorMessage()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.progress().done()).isBetween(1L, vcf.length - 1L);
        assertThat(cancelled.artifactId()).isNull();
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.COMPLETING);
        assertThat(keys("omics/artifacts/")).isEmpty();
        assertThat(service.platform.service().get(ALICE, queued.id()).state())
                .isEqualTo(org.karyo.jobs.api.JobState.CANCELLED);

        // completing again starts a new job, which validates the file
        Job retried = service.uploads.complete(ALICE, u.id());
        assertThat(retried.id()).isNotEqualTo(queued.id());
        Job done = awaitJob(u.id());
        assertThat(done.state()).as(done.errorMessage()).isEqualTo(JobState.AVAILABLE);
        assertThat(done.progress().done()).isEqualTo(vcf.length);
    }

    @Test
    void uploadsPastTheirExpiryAreEndedByTheirTaskAndTheirPartsDropped() throws Exception {
        byte[] vcf = Vcfs.vcf(24, 300, SAMPLES);
        Upload old = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "old.vcf", null))
                .upload();
        sendPart(ALICE, old, vcf, 1);
        Upload live = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "live.vcf", null))
                .upload();
        sendPart(ALICE, live, vcf, 1);
        sql(
                "UPDATE karyo_omics.upload SET created_at = now() - interval '3 days', expires_at = now() - interval '1 hour'"
                        + " WHERE id = " + old.id());
        assertThat(store.listMultipartUploads("omics/")).hasSize(2);

        UploadExpiryTask task = new UploadExpiryTask(service.store, service.platform.service());
        assertThat(task.name()).isEqualTo("omics.upload-expiry");
        assertThat(task.expire(null)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM karyo_omics.upload WHERE state = 'EXPIRED' AND id = " + old.id()))
                .isEqualTo(1);
        assertThat(store.listMultipartUploads("omics/"))
                .extracting(p -> p.upload().key())
                .containsExactly(Keys.uploadData(live.id()));
        assertThat(service.uploads.get(ALICE, old.id()).state()).isEqualTo(UploadState.EXPIRED);
        assertThat(service.uploads.get(ALICE, live.id()).state()).isEqualTo(UploadState.RECEIVING);
        assertThat(audit.actions()).contains("omics.upload.expire");
        // nothing more to end
        assertThat(task.expire(null)).isZero();
    }

    @Test
    void anUploadWhoseValidationWasCancelledEndsAtItsExpiryWithWhatItStaged() throws Exception {
        byte[] vcf = Vcfs.vcf(25, 100_000, SAMPLES);
        Upload u = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "stale.vcf", null))
                .upload();
        sendParts(ALICE, u, vcf);
        AtomicBoolean asked = new AtomicBoolean();
        service.platform.listener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS && asked.compareAndSet(false, true)) {
                service.platform.service().cancel(ALICE, e.job().id());
            }
        });
        service.uploads.complete(ALICE, u.id());
        assertThat(awaitJob(u.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(keys("omics/uploads/" + u.id() + "/")).isNotEmpty();
        UploadExpiryTask task = new UploadExpiryTask(service.store, service.platform.service());
        // not yet expired: the client may still complete it again
        assertThat(task.expire(null)).isZero();

        sql(
                "UPDATE karyo_omics.upload SET created_at = now() - interval '3 days', expires_at = now() - interval '1 hour'"
                        + " WHERE id = " + u.id());
        assertThat(task.expire(null)).isEqualTo(1);
        assertThat(service.uploads.get(ALICE, u.id()).state()).isEqualTo(UploadState.EXPIRED);
        assertThat(keys("omics/uploads/" + u.id() + "/")).isEmpty();
        assertThat(task.expire(null)).isZero();
    }

    @Test
    void theSweeperIsToldWhichObjectsRowsStillNeed() throws Exception {
        byte[] vcf = Vcfs.vcf(21, 100, SAMPLES);
        Job done = upload(vcf, ArtifactKind.VCF, "a.vcf");
        Upload live = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "b.vcf", null))
                .upload();
        Upload old = service.uploads
                .create(ALICE, newUpload(vcf, ArtifactKind.VCF, "c.vcf", null))
                .upload();
        sql(
                "UPDATE karyo_omics.upload SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day'"
                        + " WHERE id = " + old.id());

        OmicsReferences refs = new OmicsReferences(service.store.sql(), Clock.fixed(Instant.now(), ZoneOffset.UTC));
        assertThat(refs.prefix()).isEqualTo("omics/");
        String artifactData = Keys.artifactData(done.artifactId(), ArtifactKind.VCF);
        List<String> asked = List.of(
                artifactData,
                artifactData + ".tbi",
                "omics/artifacts/999999/data.vcf.gz",
                Keys.uploadData(live.id()),
                Keys.uploadData(old.id()),
                Keys.uploadData(done.uploadId()),
                "omics/other/thing");
        assertThat(refs.referenced(asked))
                .containsExactlyInAnyOrder(artifactData, artifactData + ".tbi", Keys.uploadData(live.id()));
    }

    @Test
    void jobsAreListedForTheProjectsTheCallerMayUploadTo() {
        byte[] vcf = Vcfs.vcf(22, 50, SAMPLES);
        Job job = upload(vcf, ArtifactKind.VCF, "a.vcf");
        assertThat(service.uploads.jobs(ALICE, new ListQuery(null, null)).results())
                .extracting(Job::id)
                .containsExactly(job.id());
        assertThat(service.uploads.jobs(BOB, new ListQuery(null, null)).results())
                .isEmpty();
        assertThatThrownBy(() -> service.uploads.job(BOB, job.id()))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void auditEntriesCarryIdsNeverSampleNames() {
        byte[] vcf = Vcfs.vcf(23, 50, SAMPLES);
        Job job = upload(vcf, ArtifactKind.VCF, "a.vcf");
        service.data.records(ALICE, job.artifactId(), new RecordsRequest(List.of("chr1"), List.of("S1"), null));
        for (RecordingAuditTrail.Entry e : audit.entries()) {
            for (Map.Entry<String, String> d : e.event().details().entrySet()) {
                assertThat(d.getValue())
                        .as(e.event().action() + " " + d.getKey())
                        .doesNotContain("S1");
            }
        }
        assertThat(audit.actions()).contains("omics.records.query");
    }

    private static java.io.InputStream fileStream(Path p) {
        try {
            return java.nio.file.Files.newInputStream(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
