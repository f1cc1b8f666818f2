package org.karyo.omics.api;

import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * What Karyo read from a file when it was uploaded.
 *
 * @param fileFormat {@code VCFv4.2}, {@code BED}, {@code BCFv2.2}, {@code PARQUET}...
 * @param samples the sample names, in column order (VCF, BCF); empty otherwise
 * @param contigs the contigs, in file order, with their record counts (VCF, BED, BCF)
 * @param info the INFO definitions of the header
 * @param format the FORMAT definitions of the header
 * @param filter the FILTER definitions of the header
 * @param records the number of records (rows for Parquet)
 * @param referenceHint the header's {@code ##reference=} value, or {@code null}
 * @param parquet the Parquet schema and row count, or {@code null} for other kinds
 */
public record ArtifactMetadata(
        String fileFormat,
        List<String> samples,
        List<Contig> contigs,
        List<FieldDefinition> info,
        List<FieldDefinition> format,
        List<FieldDefinition> filter,
        long records,
        @Nullable String referenceHint,
        @Nullable ParquetSchema parquet) {
    public ArtifactMetadata {
        samples = List.copyOf(samples);
        contigs = List.copyOf(contigs);
        info = List.copyOf(info);
        format = List.copyOf(format);
        filter = List.copyOf(filter);
    }
}
