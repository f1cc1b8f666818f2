package org.karyo.storage.fs.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's failures as the {@link org.karyo.storage.api.ObjectStore} contract names them. */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    static KaryoException checksumMismatch() {
        return new KaryoException(
                Kind.INVALID,
                "checksum-mismatch",
                "sha256: the data does not match the declared SHA-256",
                List.of(new FieldError("sha256", "does not match the data")),
                null,
                null);
    }

    static KaryoException rangeNotSatisfiable(long offset, long size) {
        return new KaryoException(
                Kind.RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                "The range starts at byte " + offset + ", beyond the object's " + size + " bytes",
                null,
                Map.of("size", size),
                null);
    }

    static KaryoException objectNotFound(String key) {
        return KaryoException.notFound("object", key);
    }

    static KaryoException uploadNotFound(String uploadId) {
        return KaryoException.notFound("multipart upload", uploadId);
    }

    /**
     * The folder cannot be used (full disk, permissions): logged here, once, with the cause, since the client only
     * learns that storage is unavailable.
     */
    static KaryoException unavailable(String operation, IOException cause) {
        LOG.warn("Filesystem object store: {} failed", operation, cause);
        return KaryoException.unavailable(
                "storage-unavailable", "Object storage is unavailable", Map.of(), Duration.ofSeconds(30));
    }
}
