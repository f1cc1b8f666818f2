package org.karyo.storage.api;

import java.time.Instant;

/**
 * An object as the store reports it.
 *
 * @param key its key
 * @param size its length in bytes
 * @param etag the store's entity tag, without quotes
 * @param lastModified when it was written
 * @param sha256 its SHA-256 (lower-case hex) when the store knows it, else {@code null}
 * @param md5 its MD5 (lower-case hex) when known (always after {@link ObjectStore#put}), else {@code null}
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified, String sha256, String md5) {}
