package org.karyo.omics.api;

import java.net.URI;
import java.time.Instant;

/**
 * A short-lived presigned URL of a stored file, with its checksums for the response headers.
 *
 * @param url where to GET it
 * @param fileName the name to save it as
 * @param size its length in bytes
 * @param sha256 its SHA-256 (lower-case hex)
 * @param md5 its MD5 (lower-case hex), or {@code null} when unknown
 * @param expiresAt when the URL stops working
 */
public record Download(URI url, String fileName, long size, String sha256, String md5, Instant expiresAt) {}
