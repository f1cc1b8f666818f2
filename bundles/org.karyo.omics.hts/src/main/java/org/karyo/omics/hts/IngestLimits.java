package org.karyo.omics.hts;

/**
 * Limits for the validation pass of an upload.
 *
 * @param maxUncompressedBytes the most uncompressed bytes a file may hold
 * @param maxCompressionRatio the largest uncompressed/compressed ratio accepted for a BGZF upload, judged once 8 MiB
 *     have been decompressed (a bgzip bomb exceeds it)
 * @param maxLineLength the longest text line accepted, in bytes (also bounds a BCF record and the BCF header)
 */
public record IngestLimits(long maxUncompressedBytes, int maxCompressionRatio, int maxLineLength) {

    /** Checks that every limit is positive. */
    public IngestLimits {
        if (maxUncompressedBytes <= 0 || maxCompressionRatio <= 0 || maxLineLength <= 0) {
            throw new IllegalArgumentException("ingest limits must be positive");
        }
    }

    /**
     * 1 TiB uncompressed, a ratio of 250 (a BGZF file of zeros reaches about 600; real VCFs 5 to 100, though sparse
     * genotype matrices of very large cohorts can go higher: raise it for them), lines (and BCF records and
     * headers) of 32 MiB.
     */
    public static IngestLimits defaults() {
        return new IngestLimits(1L << 40, 250, 32 << 20);
    }
}
