package org.karyo.projects.impl.internal;

/**
 * An object this module stored: its key, media type, length and SHA-256 as computed while it streamed.
 *
 * @param key the object key, under {@code projects/}
 * @param contentType the media type recorded for it
 * @param size its length in bytes
 * @param sha256 lower-case hex
 */
record StoredObject(String key, String contentType, long size, String sha256) {}
