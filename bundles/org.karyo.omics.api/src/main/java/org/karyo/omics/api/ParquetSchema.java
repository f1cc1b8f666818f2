package org.karyo.omics.api;

import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * What a Parquet file's footer says.
 *
 * @param rows the number of rows
 * @param rowGroups the number of row groups
 * @param columns the leaf columns, in schema order
 * @param createdBy the writer that made the file, or {@code null}
 */
public record ParquetSchema(long rows, int rowGroups, List<ParquetColumn> columns, @Nullable String createdBy) {
    public ParquetSchema {
        columns = List.copyOf(columns);
    }
}
