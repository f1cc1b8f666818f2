package org.karyo.omics.api;

import org.karyo.api.json.Nullable;

/**
 * A leaf column of a Parquet file's schema.
 *
 * @param path the dotted column path
 * @param physicalType the physical type ({@code INT64}, {@code BYTE_ARRAY}...)
 * @param logicalType the logical type ({@code STRING}, {@code DECIMAL}...), or {@code null}
 * @param repetition {@code REQUIRED}, {@code OPTIONAL} or {@code REPEATED}
 */
public record ParquetColumn(String path, String physicalType, @Nullable String logicalType, String repetition) {}
