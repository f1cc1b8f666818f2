package org.karyo.omics.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.ArtifactService;
import org.karyo.omics.api.ArtifactState;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.JobState;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadService;
import org.karyo.omics.api.UploadState;
import org.mockito.ArgumentCaptor;

class OmicsCommandsTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private static final List<Class<?>> COMMANDS = List.of(
            ArtifactsCommand.class,
            ArtifactCommand.class,
            UploadsCommand.class,
            JobsCommand.class,
            DeleteCommand.class);

    private final Caller admin = mock(Caller.class);
    private final ConsoleIdentity identity = user -> admin;
    private final ArtifactService service = mock(ArtifactService.class);
    private final UploadService uploadService = mock(UploadService.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Artifact artifact() {
        ArtifactMetadata m = new ArtifactMetadata(
                "VCFv4.2",
                List.of("S1", "S2"),
                List.of(new Contig("chr1", 248956422L, 12), new Contig("chr2", null, 3)),
                List.of(),
                List.of(),
                List.of(),
                15,
                null,
                null);
        return new Artifact(
                4,
                1,
                null,
                "cohort.vcf",
                ArtifactKind.VCF,
                Compression.BGZF,
                IndexType.TBI,
                Assembly.GRCH38,
                Map.of(),
                "a".repeat(64),
                100,
                "b".repeat(64),
                "c".repeat(32),
                3 << 20,
                null,
                null,
                m,
                ArtifactState.AVAILABLE,
                9,
                "alice",
                T,
                T,
                1);
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.name()).startsWith("omics-");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description())
                            .as(type.getSimpleName() + " " + o.name())
                            .isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description())
                            .as(type.getSimpleName() + " " + a.name())
                            .isNotBlank();
                }
            }
        }
        assertThat(COMMANDS)
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly("omics-artifacts", "omics-artifact", "omics-uploads", "omics-jobs", "omics-delete");
    }

    @Test
    void artifactsListsAPageFilteredByProjectAndKind() {
        when(service.list(eq(admin), any())).thenReturn(new Page<>(1, 20, 0, List.of(artifact())));
        ArtifactsCommand c = new ArtifactsCommand();
        c.artifacts = service;
        c.identity = identity;
        c.project = "1,2";
        c.kind = "vcf";
        c.limit = 20;
        c.print(out);
        ArgumentCaptor<ArtifactQuery> q = ArgumentCaptor.forClass(ArtifactQuery.class);
        verify(service).list(eq(admin), q.capture());
        assertThat(q.getValue().projects()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(q.getValue().kinds()).containsExactly(ArtifactKind.VCF);
        assertThat(printed()).contains("cohort.vcf", "GRCh38", "3.0 MiB", "1 of 1 shown");
    }

    @Test
    void aBadFilterIsExplainedByItsOption() {
        ArtifactsCommand c = new ArtifactsCommand();
        c.artifacts = service;
        c.identity = identity;
        c.kind = "bam";
        assertThatThrownBy(() -> c.print(out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--kind");
    }

    @Test
    void artifactShowsChecksumsAndContigs() {
        when(service.get(admin, 4)).thenReturn(artifact());
        ArtifactCommand c = new ArtifactCommand();
        c.artifacts = service;
        c.identity = identity;
        c.id = 4;
        c.contigs = true;
        c.print(out);
        assertThat(printed()).contains("Artifact 4", "b".repeat(64), "samples        2", "chr1", "248956422");
    }

    @Test
    void uploadsAndJobsAreListed() {
        Upload u = new Upload(
                3,
                1,
                null,
                ArtifactKind.VCF,
                "x.vcf",
                10,
                "a".repeat(64),
                "k",
                Assembly.GRCH38,
                null,
                null,
                false,
                5 << 20,
                1,
                List.of(),
                UploadState.RECEIVING,
                null,
                "alice",
                T,
                T);
        when(uploadService.list(eq(admin), any())).thenReturn(new Page<>(1, 20, 0, List.of(u)));
        Job j = new Job(8, 3, 1, JobState.REJECTED, null, "line 12", "not sorted", 1, T, T, T);
        when(uploadService.jobs(eq(admin), any())).thenReturn(new Page<>(1, 20, 0, List.of(j)));
        UploadsCommand uc = new UploadsCommand();
        uc.uploads = uploadService;
        uc.identity = identity;
        uc.limit = 20;
        uc.print(out);
        JobsCommand jc = new JobsCommand();
        jc.uploads = uploadService;
        jc.identity = identity;
        jc.project = "1";
        jc.limit = 20;
        jc.print(out);
        ArgumentCaptor<ListQuery> q = ArgumentCaptor.forClass(ListQuery.class);
        verify(uploadService).jobs(eq(admin), q.capture());
        assertThat(q.getValue().projects()).containsExactly(1L);
        assertThat(printed()).contains("RECEIVING", "x.vcf", "REJECTED", "line 12", "not sorted");
    }

    @Test
    void deleteDeletesAndExplainsARefusal() {
        DeleteCommand c = new DeleteCommand();
        c.artifacts = service;
        c.identity = identity;
        c.id = 4;
        c.print(out);
        verify(service).delete(admin, 4, OptionalLong.empty());
        assertThat(printed()).contains("Deleted artifact 4");

        ArtifactService refusing = mock(ArtifactService.class);
        org.mockito.Mockito.doThrow(KaryoException.notFound("artifact", 5))
                .when(refusing)
                .delete(admin, 5, OptionalLong.empty());
        DeleteCommand d = new DeleteCommand();
        d.artifacts = refusing;
        d.identity = identity;
        d.id = 5;
        assertThatThrownBy(() -> d.print(out)).hasMessage("artifact 5 does not exist");
    }
}
