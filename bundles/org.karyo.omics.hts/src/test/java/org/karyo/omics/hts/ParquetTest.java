package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet footers read with ranged reads. No Parquet writer is available here (no Hadoop, pyarrow or DuckDB), so the
 * test writes a small file byte by byte with parquet-format's thrift classes: PLAIN data pages of an INT64 and an
 * optional STRING column in one row group, then the footer.
 */
class ParquetTest {

    @TempDir
    Path dir;

    static byte[] smallFile() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write("PAR1".getBytes());
        List<ColumnChunk> chunks = new ArrayList<>();
        // id: INT64 REQUIRED 1,2,3
        ByteArrayOutputStream ids = new ByteArrayOutputStream();
        for (long v = 1; v <= 3; v++) {
            for (int i = 0; i < 8; i++) {
                ids.write((int) (v >>> (8 * i)));
            }
        }
        chunks.add(column(f, "id", Type.INT64, ids.toByteArray(), 3));
        // name: BYTE_ARRAY OPTIONAL STRING "a", null, "ccc": definition levels (RLE/bit-packed, width 1), values
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.write(new byte[] {2, 0, 0, 0, 0x03, 0x05});
        names.write(new byte[] {1, 0, 0, 0, 'a', 3, 0, 0, 0, 'c', 'c', 'c'});
        chunks.add(column(f, "name", Type.BYTE_ARRAY, names.toByteArray(), 3));
        List<SchemaElement> schema = new ArrayList<>();
        schema.add(new SchemaElement("schema").setNum_children(2));
        schema.add(new SchemaElement("id").setType(Type.INT64).setRepetition_type(FieldRepetitionType.REQUIRED));
        schema.add(new SchemaElement("name")
                .setType(Type.BYTE_ARRAY)
                .setRepetition_type(FieldRepetitionType.OPTIONAL)
                .setLogicalType(LogicalType.STRING(new StringType())));
        long total = chunks.stream()
                .mapToLong(c -> c.getMeta_data().getTotal_compressed_size())
                .sum();
        FileMetaData md = new FileMetaData(2, schema, 3, List.of(new RowGroup(chunks, total, 3)));
        md.setCreated_by("karyo tests");
        footer(f, md);
        return f.toByteArray();
    }

    static ColumnChunk column(ByteArrayOutputStream f, String name, Type type, byte[] page, int values)
            throws IOException {
        long offset = f.size();
        PageHeader h = new PageHeader(PageType.DATA_PAGE, page.length, page.length);
        h.setData_page_header(new DataPageHeader(values, Encoding.PLAIN, Encoding.RLE, Encoding.RLE));
        Util.writePageHeader(h, f);
        f.write(page);
        long size = f.size() - offset;
        ColumnMetaData meta = new ColumnMetaData(
                type,
                List.of(Encoding.PLAIN, Encoding.RLE),
                List.of(name),
                CompressionCodec.UNCOMPRESSED,
                values,
                size,
                size,
                offset);
        ColumnChunk c = new ColumnChunk(offset);
        c.setMeta_data(meta);
        return c;
    }

    static void footer(ByteArrayOutputStream f, FileMetaData md) throws IOException {
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(md, footer);
        f.write(footer.toByteArray());
        int n = footer.size();
        f.write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        f.write("PAR1".getBytes());
    }

    /** A file whose footer (2000 columns) is larger than the first ranged read. */
    static byte[] wideFile() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write("PAR1".getBytes());
        f.write(new byte[200_000]);
        List<SchemaElement> schema = new ArrayList<>();
        schema.add(new SchemaElement("schema").setNum_children(2000));
        for (int i = 0; i < 2000; i++) {
            schema.add(new SchemaElement(String.format("a_rather_long_column_name_%04d", i))
                    .setType(Type.DOUBLE)
                    .setRepetition_type(FieldRepetitionType.OPTIONAL));
        }
        footer(f, new FileMetaData(2, schema, 0, List.of()));
        return f.toByteArray();
    }

    @Test
    void smallFooterInOneRangedRead() throws Exception {
        Path p = Files.write(dir.resolve("s.parquet"), smallFile());
        FileRangeSource src = new FileRangeSource(p);
        ParquetInfo info = ParquetInfo.read(src);
        assertThat(src.opens.get()).isEqualTo(1);
        assertThat(info.rows()).isEqualTo(3);
        assertThat(info.rowGroups()).isEqualTo(1);
        assertThat(info.createdBy()).isEqualTo("karyo tests");
        assertThat(info.schema())
                .containsExactly(
                        new ParquetColumn("id", "INT64", null, "REQUIRED"),
                        new ParquetColumn("name", "BYTE_ARRAY", "STRING", "OPTIONAL"));
    }

    @Test
    void largeFooterInTwoRangedReads() throws Exception {
        Path p = Files.write(dir.resolve("w.parquet"), wideFile());
        FileRangeSource src = new FileRangeSource(p);
        ParquetInfo info = ParquetInfo.read(src);
        assertThat(src.opens.get()).isEqualTo(2);
        assertThat(info.schema()).hasSize(2000);
        assertThat(info.schema().get(1999).path()).isEqualTo("a_rather_long_column_name_1999");
        assertThat(src.served.get()).isLessThan(Files.size(p));
    }

    @Test
    void ingestHashesChecksTheMagicAndCountsRows() throws Exception {
        byte[] file = smallFile();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        IngestResult r =
                Ingest.run(FileKind.PARQUET, new ByteArrayInputStream(file), stored, null, IngestLimits.defaults());
        assertThat(stored.toByteArray()).isEqualTo(file);
        assertThat(r.metadata().fileFormat()).isEqualTo("PARQUET");
        assertThat(r.metadata().records()).isEqualTo(3);
        assertThat(r.compressed()).isFalse();
        assertThat(r.index()).isNull();
        assertThat(r.uploadSha256()).isEqualTo(r.storedSha256()).hasSize(64);
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 3);
        assertThatThrownBy(() -> Ingest.run(
                        FileKind.PARQUET,
                        new ByteArrayInputStream(cut),
                        new ByteArrayOutputStream(),
                        null,
                        IngestLimits.defaults()))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("PAR1");
        Path p = Files.write(dir.resolve("cut.parquet"), cut);
        assertThatThrownBy(() -> ParquetInfo.read(new FileRangeSource(p))).isInstanceOf(IngestException.class);
        byte[] garbled = file.clone();
        for (int i = file.length - 40; i < file.length - 8; i++) {
            garbled[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> Ingest.run(
                        FileKind.PARQUET,
                        new ByteArrayInputStream(garbled),
                        new ByteArrayOutputStream(),
                        null,
                        IngestLimits.defaults()))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("footer");
    }
}
