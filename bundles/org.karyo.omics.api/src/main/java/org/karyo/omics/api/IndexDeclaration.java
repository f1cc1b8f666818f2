package org.karyo.omics.api;

/**
 * The index a client will send with an upload ({@code PUT /api/omics/uploads/{id}/index}).
 *
 * @param type {@code tbi} or {@code csi} (any case)
 * @param size its exact length in bytes
 * @param sha256 its SHA-256, hex
 */
public record IndexDeclaration(String type, Long size, String sha256) {}
