package org.karyo.projects.api;

import java.io.InputStream;

/**
 * A stored document to send to a client; the receiver closes {@link #data()}.
 *
 * @param fileName the file name to offer
 * @param contentType its media type
 * @param size its length in bytes
 * @param sha256 its SHA-256, lower-case hex
 * @param data the bytes, streamed from object storage
 */
public record Download(String fileName, String contentType, long size, String sha256, InputStream data) {}
