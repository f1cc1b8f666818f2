package org.karyo.omics.hts;

/**
 * A leaf column of a Parquet schema.
 *
 * @param path the dotted path
 * @param physicalType e.g. {@code INT64}, {@code BYTE_ARRAY}
 * @param logicalType e.g. {@code STRING}, or null
 * @param repetition {@code REQUIRED}, {@code OPTIONAL} or {@code REPEATED}
 */
public record ParquetColumn(String path, String physicalType, String logicalType, String repetition) {}
