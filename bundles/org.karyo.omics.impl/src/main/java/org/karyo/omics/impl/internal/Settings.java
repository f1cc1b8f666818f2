package org.karyo.omics.impl.internal;

import java.time.Duration;
import org.karyo.omics.hts.IngestLimits;

/**
 * The omics module's effective configuration, checked once at activation (see {@link OmicsStore.Config}).
 *
 * @param maxUploadBytes the largest file a client may upload
 * @param projectQuotaBytes the most bytes a project may hold (stored artifacts and uploads in flight); 0 for no quota
 * @param partSizeBytes the part size uploads are cut into (raised for files that would need more than 10000 parts)
 * @param presignExpiry how long a presigned part URL works
 * @param ticketExpiry how long the URLs of an htsget ticket work
 * @param downloadExpiry how long a presigned download URL works
 * @param uploadExpiry how long an upload may stay incomplete
 * @param maxIndexBytes the largest index a client may send
 * @param maxQcBytes the largest QC metrics file
 * @param limits the validation pass's limits
 * @param jobThreads how many uploads are validated at once
 * @param maxJobAttempts how many times a job starts before a restart marks it failed
 * @param indexCacheEntries how many artifacts' indexes are kept in memory
 * @param maxRegions the most regions of one query
 * @param maxPageSize the largest page of a list
 * @param readAheadThreads how many threads inflate BGZF blocks ahead of long region queries (0: none)
 */
record Settings(
        long maxUploadBytes,
        long projectQuotaBytes,
        long partSizeBytes,
        Duration presignExpiry,
        Duration ticketExpiry,
        Duration downloadExpiry,
        Duration uploadExpiry,
        long maxIndexBytes,
        long maxQcBytes,
        IngestLimits limits,
        int jobThreads,
        int maxJobAttempts,
        int indexCacheEntries,
        int maxRegions,
        int maxPageSize,
        int readAheadThreads) {

    /** S3's smallest part (every part but the last). */
    static final long MIN_PART = 5L << 20;

    /** S3's most parts of one multipart upload. */
    static final int MAX_PARTS = 10_000;

    Settings {
        require(maxUploadBytes > 0, "max.upload.bytes", "must be positive");
        require(projectQuotaBytes >= 0, "project.quota.bytes", "must be 0 (no quota) or positive");
        require(partSizeBytes >= MIN_PART, "part.size.bytes", "must be at least 5 MiB (" + MIN_PART + ")");
        require(partSizeBytes <= 5L << 30, "part.size.bytes", "must be at most 5 GiB");
        require(isPositive(presignExpiry), "presign.expiry.seconds", "must be positive");
        require(isPositive(ticketExpiry), "ticket.expiry.seconds", "must be positive");
        require(isPositive(downloadExpiry), "download.expiry.seconds", "must be positive");
        require(isPositive(uploadExpiry), "upload.expiry.hours", "must be positive");
        require(maxIndexBytes > 0, "index.max.bytes", "must be positive");
        require(maxIndexBytes <= Integer.MAX_VALUE - 8, "index.max.bytes", "must be under 2 GiB");
        require(maxQcBytes > 0, "qc.max.bytes", "must be positive");
        require(limits.maxUncompressedBytes() > 0, "ingest.max.uncompressed.bytes", "must be positive");
        require(limits.maxCompressionRatio() > 1, "ingest.max.compression.ratio", "must be above 1");
        require(limits.maxLineLength() > 0, "ingest.max.line.bytes", "must be positive");
        require(jobThreads >= 1, "job.threads", "must be at least 1");
        require(maxJobAttempts >= 1, "job.max.attempts", "must be at least 1");
        require(indexCacheEntries >= 1, "index.cache.entries", "must be at least 1");
        require(maxRegions >= 1, "max.regions", "must be at least 1");
        require(maxPageSize >= 20, "max.page.size", "must be at least 20");
        require(readAheadThreads >= 0, "read.ahead.threads", "must be 0 (none) or more");
    }

    /** The part size of a file of {@code size} bytes: the configured one, raised to stay within 10000 parts. */
    long partSizeFor(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        long mib = 1L << 20;
        needed = (needed + mib - 1) / mib * mib;
        return Math.max(partSizeBytes, needed);
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(OmicsStore.PID + ": " + key + " " + message);
        }
    }
}
