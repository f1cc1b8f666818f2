package org.karyo.projects.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * The signed consent form of a participant, kept in object storage.
 *
 * @param fileName the file name it was uploaded with; {@code null} in a pseudonymised view (names of files often
 *     carry the participant's name)
 * @param contentType its media type ({@code application/pdf})
 * @param size its length in bytes
 * @param sha256 its SHA-256, lower-case hex
 * @param uploadedAt when it was uploaded
 */
public record ConsentDocument(
        @Nullable String fileName, String contentType, long size, String sha256, Instant uploadedAt) {}
