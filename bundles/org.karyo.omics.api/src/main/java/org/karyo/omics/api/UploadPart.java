package org.karyo.omics.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * A part of an upload that storage has received.
 *
 * @param number the part number, from 1
 * @param size its length in bytes
 * @param etag storage's entity tag of the part
 * @param receivedAt when it arrived, or {@code null} when storage does not say
 */
public record UploadPart(int number, long size, String etag, @Nullable Instant receivedAt) {}
