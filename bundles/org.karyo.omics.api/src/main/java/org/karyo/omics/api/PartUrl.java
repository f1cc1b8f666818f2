package org.karyo.omics.api;

import java.net.URI;
import java.time.Instant;

/**
 * A presigned URL to which a client PUTs one part of an upload straight to storage.
 *
 * @param partNumber the part number
 * @param url where to PUT the part's bytes
 * @param method always {@code PUT}
 * @param size the exact length the part must have
 * @param expiresAt when the URL stops working
 */
public record PartUrl(int partNumber, URI url, String method, long size, Instant expiresAt) {}
