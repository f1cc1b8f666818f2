package org.karyo.storage.api;

/**
 * A multipart upload in progress.
 *
 * @param key the key the object will have
 * @param uploadId the store's id for the upload
 */
public record MultipartUpload(String key, String uploadId) {}
