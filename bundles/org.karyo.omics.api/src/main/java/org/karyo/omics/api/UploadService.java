package org.karyo.omics.api;

import java.io.InputStream;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The upload protocol of genomic files and the validation jobs it starts. Every method needs {@link OmicsRights#UPLOAD}
 * on the upload's project; a caller without it, like an unknown id, gets {@code NOT_FOUND}. Failures are
 * {@link org.karyo.api.KaryoException}s: {@code INVALID} naming every bad field or parameter (nothing is written),
 * {@code NOT_FOUND}, {@code FORBIDDEN} (not the upload's creator), {@code CONFLICT} (wrong upload state, idempotency
 * key reused with another body, quota), {@code TOO_LARGE} (over the maximum upload size) and {@code UNPROCESSABLE}
 * (an index that is not of the declared type).
 */
@ProviderType
public interface UploadService {

    /**
     * Starts an upload: a multipart upload in storage and the part size to cut the file into. The same caller,
     * project and idempotency key with the same body returns the existing upload ({@link UploadResult#created()}
     * false); with another body, {@code CONFLICT}.
     */
    UploadResult create(Caller caller, NewUpload upload);

    /** An upload with the parts received so far. */
    Upload get(Caller caller, long uploadId);

    /** Uploads of the projects the caller may upload to, newest first. */
    Page<Upload> list(Caller caller, ListQuery query);

    /**
     * Stores part {@code partNumber} of an upload, streamed through Karyo; sending a part again replaces it. Only the
     * upload's creator, while it is {@link UploadState#RECEIVING}.
     *
     * @param length the part's length, which must be {@link Upload#expectedPartSize(int)}
     */
    UploadPart putPart(Caller caller, long uploadId, int partNumber, InputStream data, long length);

    /**
     * A presigned URL to PUT part {@code partNumber} straight to storage (the upload's creator only). Storage refuses
     * a body of any other length than the part's.
     */
    PartUrl presignPart(Caller caller, long uploadId, int partNumber);

    /**
     * Stores the index the upload declared (a {@code .tbi} or {@code .csi}), checking its size, its SHA-256 and its
     * type ({@code UNPROCESSABLE} naming {@code index.type} when the bytes are the other kind of index). Only the
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

    /** A validation job. */
    Job job(Caller caller, long jobId);

    /** Jobs of the projects the caller may upload to, newest first. */
    Page<Job> jobs(Caller caller, ListQuery query);
}
