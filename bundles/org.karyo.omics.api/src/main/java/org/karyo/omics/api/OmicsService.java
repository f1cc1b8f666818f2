package org.karyo.omics.api;

import java.io.InputStream;
import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Genomic files of projects. Every method takes the caller and checks its right (see {@link OmicsRights}) on the
 * project of the object; a caller without it, like an unknown id, gets {@code NOT_FOUND}. Failures are
 * {@link org.karyo.api.KaryoException}s: {@code INVALID} naming every bad field or parameter (nothing is written),
 * {@code NOT_FOUND}, {@code CONFLICT} (wrong upload state, idempotency key reused with another body, quota),
 * {@code TOO_LARGE} (over the maximum upload size), {@code FORBIDDEN} (a sample whose genotypes the caller may not
 * read), {@code UNPROCESSABLE} (a region query on a BCF or Parquet file) and {@code PRECONDITION_FAILED} (a stale
 * {@code expectedVersion}).
 */
@ProviderType
public interface OmicsService {

    // ---- uploads ----------------------------------------------------------------------------------------------

    /**
     * Starts an upload: a multipart upload in storage and the part size to cut the file into. Needs
     * {@link OmicsRights#UPLOAD} on the project. The same caller, project and idempotency key with the same body
     * returns the existing upload ({@link UploadResult#created()} false); with another body, {@code CONFLICT}.
     */
    UploadResult createUpload(Caller caller, NewUpload upload);

    /** An upload with the parts received so far (its creator, or a caller who may upload to its project). */
    Upload upload(Caller caller, long uploadId);

    /** Uploads of the projects the caller may upload to, newest first. */
    Page<Upload> uploads(Caller caller, ListQuery query);

    /**
     * Stores part {@code partNumber} of an upload, streamed through Karyo; sending a part again replaces it. Only the
     * upload's creator, while it is {@link UploadState#RECEIVING}.
     *
     * @param length the part's length, which must be {@link Upload#expectedPartSize(int)}
     */
    UploadPart putPart(Caller caller, long uploadId, int partNumber, InputStream data, long length);

    /** A presigned URL to PUT part {@code partNumber} straight to storage (the upload's creator only). */
    PartUrl presignPart(Caller caller, long uploadId, int partNumber);

    /**
     * Stores the index the upload declared (a {@code .tbi} or {@code .csi}), checking its size and SHA-256. Only the
     * upload's creator, while it is {@link UploadState#RECEIVING}.
     */
    Upload putIndex(Caller caller, long uploadId, InputStream data, long length);

    /**
     * Completes an upload: every part (and the declared index) must have arrived. Queues the validation job and
     * returns it; completing again returns the same job (or, after a {@link JobState#FAILED} one, a new job).
     */
    Job complete(Caller caller, long uploadId);

    /** Aborts an upload that is still receiving; its parts are dropped (its creator, or {@link OmicsRights#MANAGE}). */
    void abort(Caller caller, long uploadId);

    // ---- jobs -------------------------------------------------------------------------------------------------

    /** A validation job (a caller who may upload to its project). */
    Job job(Caller caller, long jobId);

    /** Jobs of the projects the caller may upload to, newest first. */
    Page<Job> jobs(Caller caller, ListQuery query);

    // ---- artifacts --------------------------------------------------------------------------------------------

    /** Artifacts of the projects on which the caller holds {@link OmicsRights#READ}. */
    Page<Artifact> artifacts(Caller caller, ArtifactQuery query);

    /** One artifact ({@link OmicsRights#READ}). */
    Artifact artifact(Caller caller, long artifactId);

    /**
     * Changes an artifact's assembly, repository reference or participant ({@link OmicsRights#UPLOAD}).
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    Artifact update(Caller caller, long artifactId, ArtifactPatch patch, OptionalLong expectedVersion);

    /**
     * Deletes an artifact ({@link OmicsRights#MANAGE}): its row at once, its objects once that committed.
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    void delete(Caller caller, long artifactId, OptionalLong expectedVersion);

    /**
     * Attaches (or replaces) the artifact's QC metrics file, CSV or JSON ({@link OmicsRights#UPLOAD}).
     *
     * @param mediaType {@code text/csv} or {@code application/json}
     * @param length its exact length
     */
    Artifact putQcMetrics(
            Caller caller, long artifactId, String fileName, String mediaType, InputStream data, long length);

    /** A presigned URL of the artifact's QC metrics file ({@link OmicsRights#READ}); audited. */
    Download qcMetrics(Caller caller, long artifactId);

    // ---- reading ----------------------------------------------------------------------------------------------

    /**
     * A region query, checked and audited before it streams ({@link OmicsRights#READ}). Sample columns are kept only
     * with {@link OmicsRights#READ_GENOTYPES} and only for samples whose participant's consent allows genotype reads
     * (and not at all when the artifact's own participant's consent does not); asking for a blocked sample by name is
     * {@code FORBIDDEN}, for an unknown one {@code INVALID} naming {@code samples}.
     */
    RecordStream records(Caller caller, long artifactId, RecordsRequest request);

    /**
     * A GA4GH htsget ticket for a VCF artifact ({@link OmicsRights#READ_GENOTYPES}, and no sample of the file blocked
     * by consent); audited.
     */
    HtsgetTicket htsget(Caller caller, long artifactId, HtsgetRequest request);

    /**
     * A short-lived presigned URL of the whole stored file ({@link OmicsRights#READ_GENOTYPES}, and no sample of the
     * file blocked by consent); audited.
     */
    Download download(Caller caller, long artifactId);
}
