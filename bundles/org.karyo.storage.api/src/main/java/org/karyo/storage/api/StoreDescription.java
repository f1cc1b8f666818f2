package org.karyo.storage.api;

/**
 * A store as an administrator sees it, with no credentials.
 *
 * @param type {@code filesystem} or {@code minio}
 * @param location the folder or the endpoint URL
 * @param bucket the bucket, or the folder's name for the filesystem store
 * @param publicUrl the base that presigned URLs use
 */
public record StoreDescription(String type, String location, String bucket, String publicUrl) {}
