package org.karyo.omics.hts;

import java.util.List;

/**
 * Metadata extracted from a genomic file at upload.
 *
 * @param fileFormat {@code VCFv4.2}, {@code BED}, {@code BCFv2.2}, {@code PARQUET}
 * @param samples sample names in column order
 * @param contigs contigs in file order, with record counts
 * @param definitions INFO/FORMAT/FILTER definitions of the header
 * @param records the number of records
 * @param referenceHint the {@code ##reference=} value, or null
 */
public record Metadata(
        String fileFormat,
        List<String> samples,
        List<ContigStat> contigs,
        List<HeaderDefinition> definitions,
        long records,
        String referenceHint) {}
