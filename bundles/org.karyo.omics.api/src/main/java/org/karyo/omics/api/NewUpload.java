package org.karyo.omics.api;

import org.karyo.api.json.Nullable;

/**
 * The start of an upload ({@code POST /api/omics/uploads}). Fields are boxed so that a missing one is reported by
 * name rather than read as zero.
 *
 * @param project the project the file belongs to (the caller needs {@code omics.upload} on it)
 * @param kind what the file holds
 * @param size the exact number of bytes that will be uploaded
 * @param sha256 the SHA-256 of those bytes (hex), checked when the upload completes
 * @param idempotencyKey the client's key of this upload (1 to 128 characters): the same key, caller and project with
 *     the same body gives the same upload back; with another body, a conflict
 * @param fileName the file's name (at most 255 characters, no path)
 * @param assembly the reference assembly
 * @param participant the participant the file belongs to (in the same project), or {@code null}
 * @param repository where the file is also deposited, or {@code null}
 * @param index the index the client will send, or {@code null} to let Karyo build one (VCF, BED)
 */
public record NewUpload(
        Long project,
        ArtifactKind kind,
        Long size,
        String sha256,
        String idempotencyKey,
        String fileName,
        Assembly assembly,
        @Nullable Long participant,
        @Nullable RepositoryRef repository,
        @Nullable IndexDeclaration index) {}
