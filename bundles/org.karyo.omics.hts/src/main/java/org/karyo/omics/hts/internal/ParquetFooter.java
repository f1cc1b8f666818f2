package org.karyo.omics.hts.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.karyo.omics.hts.IngestException;
import org.karyo.omics.hts.ParquetColumn;
import org.karyo.omics.hts.ParquetInfo;

/** Decodes a Parquet footer (the thrift FileMetaData) with parquet-format-structures. */
public final class ParquetFooter {

    /** The largest footer accepted. */
    public static final int MAX_FOOTER = 64 << 20;

    private ParquetFooter() {}

    /** Decodes {@code footer} (the FileMetaData bytes, without length and magic). */
    public static ParquetInfo parse(byte[] footer, int off, int len) throws IngestException {
        FileMetaData md;
        try {
            md = Util.readFileMetaData(new ByteArrayInputStream(footer, off, len));
        } catch (IOException | RuntimeException e) {
            throw IngestException.file("invalid Parquet footer");
        }
        List<SchemaElement> schema = md.getSchema();
        if (schema == null || schema.isEmpty()) {
            throw IngestException.file("invalid Parquet footer: no schema");
        }
        List<ParquetColumn> columns = new ArrayList<>();
        int[] next = {1};
        int rootChildren = schema.get(0).isSetNum_children() ? schema.get(0).getNum_children() : 0;
        for (int c = 0; c < rootChildren; c++) {
            walk(schema, next, "", columns);
        }
        if (next[0] != schema.size()) {
            throw IngestException.file("invalid Parquet footer: the schema tree does not match its element count");
        }
        int rowGroups = md.getRow_groups() == null ? 0 : md.getRow_groups().size();
        return new ParquetInfo(md.getNum_rows(), rowGroups, List.copyOf(columns), md.getCreated_by());
    }

    private static void walk(List<SchemaElement> schema, int[] next, String prefix, List<ParquetColumn> out)
            throws IngestException {
        if (next[0] >= schema.size()) {
            throw IngestException.file("invalid Parquet footer: the schema tree is truncated");
        }
        SchemaElement e = schema.get(next[0]++);
        String path = prefix.isEmpty() ? e.getName() : prefix + "." + e.getName();
        int children = e.isSetNum_children() ? e.getNum_children() : 0;
        if (children > 0) {
            for (int c = 0; c < children; c++) {
                walk(schema, next, path, out);
            }
            return;
        }
        out.add(new ParquetColumn(
                path,
                e.isSetType() ? e.getType().name() : null,
                logical(e),
                e.isSetRepetition_type() ? e.getRepetition_type().name() : null));
    }

    private static String logical(SchemaElement e) {
        if (e.isSetLogicalType()) {
            LogicalType t = e.getLogicalType();
            if (t.getSetField() != null) {
                return t.getSetField().name();
            }
        }
        if (e.isSetConverted_type()) {
            return e.getConverted_type().name();
        }
        return null;
    }
}
