package org.karyo.omics.api;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.karyo.api.json.Nullable;

/**
 * A validated genomic file of a project (EBDMS {@code OmicsArtifact}).
 *
 * @param id the artifact's id
 * @param projectId the project it belongs to
 * @param participantId the participant it belongs to, or {@code null} (a multi-sample file)
 * @param fileName the name it was uploaded with
 * @param kind what it holds
 * @param compression how the stored object is compressed
 * @param indexType the stored index
 * @param assembly the reference assembly
 * @param contigAliases other names by which region queries may name a contig of the file ({@code 1} for
 *     {@code chr1}, {@code MT} for {@code chrM}...), alias to the file's name
 * @param uploadSha256 the SHA-256 of the bytes uploaded (lower-case hex), as the client declared it
 * @param uploadSize the number of bytes uploaded
 * @param storedSha256 the SHA-256 of the stored object (differs from the upload's when Karyo compressed it)
 * @param storedMd5 the MD5 of the stored object
 * @param storedSize the size of the stored object
 * @param repository where the file is also deposited, or {@code null}
 * @param qcMetrics the attached QC metrics file, or {@code null}
 * @param metadata what the file's header and records say
 * @param state always {@link ArtifactState#AVAILABLE}
 * @param uploadId the upload it came from
 * @param createdBy the opaque id of the user who uploaded it
 * @param createdAt when it became available
 * @param modifiedAt when its descriptive fields last changed
 * @param version its version, the ETag of optimistic concurrency
 */
public record Artifact(
        long id,
        long projectId,
        @Nullable Long participantId,
        String fileName,
        ArtifactKind kind,
        Compression compression,
        IndexType indexType,
        Assembly assembly,
        Map<String, String> contigAliases,
        String uploadSha256,
        long uploadSize,
        String storedSha256,
        String storedMd5,
        long storedSize,
        @Nullable RepositoryRef repository,
        @Nullable QcMetrics qcMetrics,
        ArtifactMetadata metadata,
        ArtifactState state,
        long uploadId,
        String createdBy,
        Instant createdAt,
        Instant modifiedAt,
        long version) {
    public Artifact {
        contigAliases = Collections.unmodifiableMap(new TreeMap<>(contigAliases == null ? Map.of() : contigAliases));
    }
}
