package org.karyo.projects.api;

import java.net.URI;
import java.time.Instant;

/**
 * A short-lived URL from which whoever holds it can GET a stored document straight from object storage.
 *
 * @param url the presigned URL
 * @param expiresAt when it stops working
 * @param sha256 the document's SHA-256, to check what was downloaded
 */
public record DownloadLink(URI url, Instant expiresAt, String sha256) {}
