package org.karyo.omics.hts;

/**
 * What the validation pass of an upload found and wrote.
 *
 * @param uploadSha256 hex sha256 of the upload
 * @param uploadMd5 hex md5 of the upload
 * @param uploadSize bytes uploaded
 * @param storedSha256 hex sha256 of the stored object
 * @param storedMd5 hex md5 of the stored object
 * @param storedSize bytes stored
 * @param compressed the stored object is BGZF
 * @param recompressed the stored object was compressed by us
 * @param index the built or supplied index, or null (BCF without index, Parquet)
 * @param indexType {@code tbi}, {@code csi} or null
 * @param metadata what the header and records say
 */
public record IngestResult(
        String uploadSha256,
        String uploadMd5,
        long uploadSize,
        String storedSha256,
        String storedMd5,
        long storedSize,
        boolean compressed,
        boolean recompressed,
        byte[] index,
        String indexType,
        Metadata metadata) {}
