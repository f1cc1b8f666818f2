package org.karyo.omics.api;

import java.time.Instant;
import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * An upload in progress (or done): what the client declared, the part size to use and the parts received so far, so
 * that a client can resume by sending only the missing parts.
 *
 * @param id the upload's id
 * @param projectId the project
 * @param participantId the participant, or {@code null}
 * @param kind what the file holds
 * @param fileName the file's name
 * @param size the declared size
 * @param sha256 the declared SHA-256
 * @param idempotencyKey the client's key
 * @param assembly the reference assembly
 * @param repository where the file is also deposited, or {@code null}
 * @param index the declared index, or {@code null}
 * @param indexReceived whether the declared index has arrived
 * @param partSize the size of every part but the last, which holds the rest
 * @param partCount how many parts the file is cut into
 * @param parts the parts received so far (while {@link UploadState#RECEIVING}; empty otherwise)
 * @param state where the upload is
 * @param jobId the validation job once completed, or {@code null}
 * @param createdBy the opaque id of the user who started it
 * @param createdAt when it started
 * @param expiresAt when it expires unless completed
 */
public record Upload(
        long id,
        long projectId,
        @Nullable Long participantId,
        ArtifactKind kind,
        String fileName,
        long size,
        String sha256,
        String idempotencyKey,
        Assembly assembly,
        @Nullable RepositoryRef repository,
        @Nullable IndexDeclaration index,
        boolean indexReceived,
        long partSize,
        int partCount,
        List<UploadPart> parts,
        UploadState state,
        @Nullable Long jobId,
        String createdBy,
        Instant createdAt,
        Instant expiresAt) {
    public Upload {
        parts = List.copyOf(parts);
    }

    /** The exact length part {@code number} must have (1-based). */
    public long expectedPartSize(int number) {
        return Math.min(partSize, size - (number - 1L) * partSize);
    }
}
