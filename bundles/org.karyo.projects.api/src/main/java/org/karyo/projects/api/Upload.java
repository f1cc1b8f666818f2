package org.karyo.projects.api;

import java.io.InputStream;

/**
 * A document arriving from a client, read once while it is stored.
 *
 * @param fileName the file name the client gave, or {@code null}
 * @param contentType the media type the client declared, or {@code null}
 * @param length the exact length, or {@code -1} when unknown (it is still limited while it streams)
 * @param sha256 the SHA-256 the client declared (lower-case hex), or {@code null}; a mismatch rejects the document
 * @param data the bytes; the service does not close it
 */
public record Upload(String fileName, String contentType, long length, String sha256, InputStream data) {}
