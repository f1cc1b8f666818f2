package org.karyo.omics.api;

import java.time.Instant;

/**
 * The quality-control metrics file attached to an artifact (EBDMS {@code qc_metrics}: CSV or JSON).
 *
 * @param fileName the name it was uploaded with
 * @param mediaType {@code text/csv} or {@code application/json}
 * @param size its length in bytes
 * @param sha256 its SHA-256, lower-case hex
 * @param uploadedAt when it was attached
 */
public record QcMetrics(String fileName, String mediaType, long size, String sha256, Instant uploadedAt) {}
