package org.karyo.omics.impl.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/** A minimal valid Parquet file (no row group) written with the format's own Thrift structures. */
final class Parquets {
    private Parquets() {}

    static byte[] withColumns() {
        SchemaElement root = new SchemaElement("schema");
        root.setNum_children(2);
        SchemaElement chrom = new SchemaElement("chrom");
        chrom.setType(Type.BYTE_ARRAY);
        chrom.setRepetition_type(FieldRepetitionType.REQUIRED);
        chrom.setLogicalType(LogicalType.STRING(new StringType()));
        SchemaElement pos = new SchemaElement("pos");
        pos.setType(Type.INT64);
        pos.setRepetition_type(FieldRepetitionType.OPTIONAL);
        FileMetaData meta = new FileMetaData(1, List.of(root, chrom, pos), 0, List.of());
        meta.setCreated_by("karyo-test");
        try {
            ByteArrayOutputStream footer = new ByteArrayOutputStream();
            Util.writeFileMetaData(meta, footer);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
            file.write(magic);
            file.write(footer.toByteArray());
            int n = footer.size();
            file.write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
            file.write(magic);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
