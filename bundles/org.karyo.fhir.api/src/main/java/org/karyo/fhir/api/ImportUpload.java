package org.karyo.fhir.api;

import java.net.URI;
import java.time.Instant;

/**
 * Where a client uploads one file of an import.
 *
 * @param storeKey the object-store key to name in the import's {@link ImportRequest#storeKeys()}
 * @param url the presigned URL to PUT the file to
 * @param expires when the URL stops working
 */
public record ImportUpload(String storeKey, URI url, Instant expires) {}
