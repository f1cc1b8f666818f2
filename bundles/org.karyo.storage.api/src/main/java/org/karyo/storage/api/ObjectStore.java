package org.karyo.storage.api;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One bucket of objects addressed by keys such as {@code omics/artifacts/42/data.vcf.gz}. Each module owns the keys
 * under its own first segment ({@code omics/}, {@code projects/}) and never writes under another module's.
 *
 * <p>Failures are {@link org.karyo.api.KaryoException}s: {@code NOT_FOUND} for a missing key or multipart upload,
 * {@code INVALID} (type {@code checksum-mismatch}) when the bytes do not match a declared checksum, {@code
 * RANGE_NOT_SATISFIABLE} for a range that starts beyond the object, and {@code UNAVAILABLE} (type {@code
 * storage-unavailable}) when the storage server cannot be reached. Messages never carry the server's own text.
 *
 * <p>Several stores may be registered (the filesystem store always, MinIO when configured); consumers take the one with
 * the highest {@code service.ranking}.
 */
@ProviderType
public interface ObjectStore {

    /** The service property that names the implementation ({@code filesystem}, {@code minio}). */
    String TYPE = "karyo.storage.type";

    /** What an administrator sees: the implementation, endpoint and bucket, never credentials. */
    StoreDescription describe();

    /**
     * Stores {@code data} under {@code key}, replacing any object there, streaming: memory stays flat whatever the
     * length. SHA-256 and MD5 are computed while the bytes pass; when {@link PutOptions#sha256()} is given and
     * differs, the object is not left behind and the call fails with {@code INVALID}/{@code checksum-mismatch}.
     *
     * @param length the exact length, or {@code -1} when unknown
     */
    ObjectInfo put(String key, InputStream data, long length, PutOptions options);

    /** The object's size, etag, modification time and, when known, its SHA-256; empty when there is no object. */
    Optional<ObjectInfo> stat(String key);

    /** The whole object. The caller closes the stream. */
    InputStream get(String key);

    /**
     * {@code length} bytes from {@code offset} (fewer at the end of the object). {@code length < 0} reads to the end.
     * The caller closes the stream.
     */
    InputStream get(String key, long offset, long length);

    /** Removes the object; removing a missing object is not an error. */
    void delete(String key);

    /**
     * Up to {@code max} objects whose keys start with {@code prefix}, in key order, after {@code startAfter}
     * ({@code null} for the first page).
     */
    List<ObjectInfo> list(String prefix, String startAfter, int max);

    /** Starts a multipart upload of {@code key}; the object appears only when it completes. */
    MultipartUpload startMultipart(String key, PutOptions options);

    /**
     * Stores part {@code partNumber} (1 to 10000) of an upload; every part but the last must be at least 5 MiB.
     * Sending the same part number again replaces it.
     */
    PartInfo putPart(MultipartUpload upload, int partNumber, InputStream data, long length);

    /** The parts received so far, by part number (what a client resuming an upload needs). */
    List<PartInfo> listParts(MultipartUpload upload);

    /** Joins the given parts, in part-number order, into the object. */
    ObjectInfo completeMultipart(MultipartUpload upload, List<PartInfo> parts);

    /** Drops an upload and the parts it received; aborting an unknown upload is not an error. */
    void abortMultipart(MultipartUpload upload);

    /**
     * Removes what writes that never finished left in the store's own working space (the filesystem store's temporary
     * files, after a {@code kill -9} in the middle of a write): the leftovers last changed before {@code before} that
     * no write in progress uses. A store without such a space (S3, whose unfinished uploads are
     * {@link #listMultipartUploads}') answers {@link Leftovers#NONE}.
     *
     * @param dryRun when true, only counts them
     */
    Leftovers removeLeftovers(Instant before, boolean dryRun);

    /** Multipart uploads started under {@code prefix} and neither completed nor aborted. */
    List<PendingUpload> listMultipartUploads(String prefix);

    /**
     * A URL that lets whoever holds it GET the object until {@code expiry} from now, without other credentials.
     *
     * @param downloadName the file name a browser saves it as, or {@code null}
     */
    URI presignGet(String key, Duration expiry, String downloadName);

    /** A URL that lets whoever holds it PUT the whole object until {@code expiry} from now. */
    URI presignPut(String key, Duration expiry);

    /**
     * A URL that lets whoever holds it PUT part {@code partNumber} of a multipart upload until {@code expiry}, with a
     * body of exactly {@code length} bytes: the store refuses any other length (a {@code Content-Length} that differs,
     * or a body that ends sooner or goes on longer), so that the URL cannot fill the store.
     *
     * @param length the part's exact length in bytes
     */
    URI presignPart(MultipartUpload upload, int partNumber, long length, Duration expiry);
}
