package org.karyo.omics.api;

import java.util.List;

/**
 * A region query ({@code GET /api/omics/artifacts/{id}/records}).
 *
 * @param regions one or more regions in tabix syntax ({@code chr1}, {@code chr1:10000}, {@code chr1:10000-20000});
 *     1-based inclusive, records overlapping them, as {@code tabix} answers; a contig may be named by an alias
 * @param samples the sample columns wanted, in that order, or {@code null} for every sample the caller may see
 * @param format the output format, or {@code null} for the file's own ({@link RecordFormat#VCF} or
 *     {@link RecordFormat#BED})
 */
public record RecordsRequest(List<String> regions, List<String> samples, RecordFormat format) {
    public RecordsRequest {
        regions = regions == null ? List.of() : List.copyOf(regions);
        samples = samples == null ? null : List.copyOf(samples);
    }
}
