package org.karyo.storage.api;

import java.time.Instant;

/**
 * One received part of a multipart upload.
 *
 * @param partNumber 1 to 10000
 * @param etag the part's entity tag, without quotes
 * @param size its length in bytes
 * @param lastModified when it arrived, when the store says
 */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified) {}
