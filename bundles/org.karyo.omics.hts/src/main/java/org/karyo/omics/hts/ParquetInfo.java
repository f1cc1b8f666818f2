package org.karyo.omics.hts;

import java.io.IOException;
import java.util.List;
import org.karyo.omics.hts.internal.ParquetFooter;

/**
 * A Parquet footer read by ranged reads (no Hadoop).
 *
 * @param rows the number of rows
 * @param rowGroups the number of row groups
 * @param schema the leaf columns
 * @param createdBy the writer, or null
 */
public record ParquetInfo(long rows, int rowGroups, List<ParquetColumn> schema, String createdBy) {

    /** What is read in the first ranged read, from the end of the file. */
    private static final int TAIL = 64 << 10;

    /**
     * Reads the footer of the Parquet file behind {@code src} in at most two ranged reads: the last 64 KiB, and the
     * rest of the footer when it is larger.
     *
     * @throws IngestException when the file is not Parquet or its footer is invalid
     */
    public static ParquetInfo read(RangeSource src) throws IOException, IngestException {
        long size = src.length();
        if (size < 12) {
            throw IngestException.file("not a Parquet file (too short)");
        }
        int tailLength = (int) Math.min(size, TAIL);
        byte[] tail;
        try (java.io.InputStream in = src.open(size - tailLength, tailLength)) {
            tail = in.readNBytes(tailLength);
        }
        if (tail.length != tailLength) {
            throw new IOException("short read");
        }
        int t = tail.length;
        if (tail[t - 4] != 'P' || tail[t - 3] != 'A' || tail[t - 2] != 'R' || tail[t - 1] != '1') {
            throw IngestException.file("not a Parquet file (no PAR1 magic at the end)");
        }
        if (tailLength == size && (tail[0] != 'P' || tail[1] != 'A' || tail[2] != 'R' || tail[3] != '1')) {
            throw IngestException.file("not a Parquet file (no PAR1 magic at the start)");
        }
        long footerLength = Integer.toUnsignedLong((tail[t - 8] & 0xff)
                | (tail[t - 7] & 0xff) << 8
                | (tail[t - 6] & 0xff) << 16
                | (tail[t - 5] & 0xff) << 24);
        if (footerLength == 0 || footerLength > size - 12 || footerLength > ParquetFooter.MAX_FOOTER) {
            throw IngestException.file("invalid Parquet footer length");
        }
        if (footerLength + 8 <= t) {
            return ParquetFooter.parse(tail, (int) (t - 8 - footerLength), (int) footerLength);
        }
        byte[] footer;
        try (java.io.InputStream in = src.open(size - 8 - footerLength, footerLength)) {
            footer = in.readNBytes((int) footerLength);
        }
        if (footer.length != footerLength) {
            throw new IOException("short read");
        }
        return ParquetFooter.parse(footer, 0, footer.length);
    }
}
