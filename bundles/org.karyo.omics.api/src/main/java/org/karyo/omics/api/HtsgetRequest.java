package org.karyo.omics.api;

/**
 * A GA4GH htsget 1.3 variants request ({@code GET /api/htsget/variants/{id}}).
 *
 * @param format {@code VCF} or {@code null} (the default, VCF)
 * @param dataClass {@code header} for the header only, or {@code null} for header and records
 * @param referenceName the contig, or {@code null} for the whole file
 * @param start the 0-based inclusive start, or {@code null} (needs {@code referenceName})
 * @param end the 0-based exclusive end, or {@code null} (needs {@code referenceName})
 */
public record HtsgetRequest(String format, String dataClass, String referenceName, Long start, Long end) {}
