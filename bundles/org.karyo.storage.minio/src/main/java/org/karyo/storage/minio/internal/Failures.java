package org.karyo.storage.minio.internal;

import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's failures as the {@link org.karyo.storage.api.ObjectStore} contract names them: the S3 error code picks
 * the kind, and the server's own text never reaches the client (it is logged, with the code, when the server is
 * unusable).
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    /** An S3 error answer: its code ({@code NoSuchKey}) and HTTP status. */
    static final class S3Error extends IOException {
        private static final long serialVersionUID = 1L;
        final String code;
        final int status;

        S3Error(String code, int status) {
            super(code + " (HTTP " + status + ")");
            this.code = code == null ? "" : code;
            this.status = status;
        }
    }

    /** The data ended before its declared length. */
    static final class Truncated extends IOException {
        private static final long serialVersionUID = 1L;
        final long received;

        Truncated(long received) {
            super("the data ended after " + received + " bytes");
            this.received = received;
        }
    }

    /** The data did not match the declared SHA-256 (raised before its last byte is sent). */
    static final class ChecksumMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        ChecksumMismatch() {
            super("checksum mismatch");
        }
    }

    /** The caller's stream failed (not the server). */
    static final class SourceFailed extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailed(IOException cause) {
            super("the data could not be read", cause);
        }
    }

    static KaryoException checksumMismatch() {
        return new KaryoException(
                Kind.INVALID,
                "checksum-mismatch",
                "sha256: the data does not match the declared SHA-256",
                List.of(new FieldError("sha256", "does not match the data")),
                null,
                null);
    }

    static KaryoException rangeNotSatisfiable(long offset) {
        return new KaryoException(
                Kind.RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                "The range starts at byte " + offset + ", beyond the object",
                null,
                null,
                null);
    }

    static KaryoException truncated(long received, long length) {
        return KaryoException.invalid(
                "length", "the data ended after " + received + " bytes, not the " + length + " declared");
    }

    static KaryoException unavailable() {
        return KaryoException.unavailable(
                "storage-unavailable", "Object storage is unavailable", Map.of(), Duration.ofSeconds(30));
    }

    /**
     * {@code failure} as a KaryoException.
     *
     * @param operation what was being done (for the log)
     * @param key the object's key (opaque), for a NOT_FOUND
     * @param uploadId the multipart upload, for a NOT_FOUND of an upload, or {@code null}
     */
    static KaryoException map(Throwable failure, String operation, String key, String uploadId) {
        Throwable t = unwrap(failure);
        if (t instanceof KaryoException k) {
            return k;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ChecksumMismatch) {
                return checksumMismatch();
            }
            if (c instanceof SourceFailed) {
                return KaryoException.invalid("data", "could not be read to its end");
            }
        }
        String code = null;
        int status = 0;
        if (t instanceof ErrorResponseException e) {
            code = e.errorResponse() == null ? null : e.errorResponse().code();
            status = e.response() == null ? 0 : e.response().code();
        } else if (t instanceof S3Error e) {
            code = e.code;
            status = e.status;
        }
        if (code != null) {
            switch (code) {
                case "NoSuchKey", "NoSuchObject":
                    return KaryoException.notFound("object", key);
                case "NoSuchUpload":
                    return KaryoException.notFound("multipart upload", uploadId);
                case "InvalidRange":
                    return new KaryoException(
                            Kind.RANGE_NOT_SATISFIABLE,
                            "range-not-satisfiable",
                            "The range starts beyond the object",
                            null,
                            null,
                            null);
                case "InvalidPart", "InvalidPartOrder":
                    return KaryoException.invalid("parts", "a part was not received, or its etag differs");
                case "EntityTooSmall":
                    return KaryoException.invalid("parts", "every part but the last must be at least 5 MiB");
                case "EntityTooLarge":
                    return new KaryoException(
                            Kind.TOO_LARGE, "too-large", "The object or part is too large", null, null, null);
                case "IncompleteBody":
                    return KaryoException.invalid("length", "the data is shorter than its declared length");
                default:
                    break;
            }
        }
        LOG.warn(
                "MinIO store: {} failed: {}",
                operation,
                code != null ? "S3 error " + code + " (HTTP " + status + ")" : t.toString());
        return unavailable();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof ExecutionException || u instanceof CompletionException) && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }
}
