package org.karyo.storage.api;

import java.time.Instant;

/**
 * A multipart upload neither completed nor aborted.
 *
 * @param upload the upload
 * @param initiated when it was started
 */
public record PendingUpload(MultipartUpload upload, Instant initiated) {}
