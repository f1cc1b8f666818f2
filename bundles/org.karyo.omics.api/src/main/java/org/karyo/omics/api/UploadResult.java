package org.karyo.omics.api;

/**
 * The answer to starting an upload.
 *
 * @param upload the upload
 * @param created {@code true} when this call started it, {@code false} when the same idempotency key and body had
 *     already started it (a retry)
 */
public record UploadResult(Upload upload, boolean created) {}
