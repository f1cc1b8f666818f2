package org.karyo.projects.api;

import java.time.Instant;

/**
 * A file attached to a project (EBDMS {@code AssociatedFile}): a PDF, XLSX or CSV document kept in object storage.
 *
 * @param id the file's id
 * @param projectId its project
 * @param name its file name, unique within the project (any case), ending in {@code .pdf}, {@code .xlsx} or
 *     {@code .csv}
 * @param category what it is
 * @param contentType its media type
 * @param size its length in bytes
 * @param sha256 its SHA-256, lower-case hex, computed while it was stored
 * @param createdAt when it was uploaded
 * @param createdBy the opaque id of who uploaded it
 */
public record ProjectFile(
        long id,
        long projectId,
        String name,
        FileCategory category,
        String contentType,
        long size,
        String sha256,
        Instant createdAt,
        String createdBy) {}
