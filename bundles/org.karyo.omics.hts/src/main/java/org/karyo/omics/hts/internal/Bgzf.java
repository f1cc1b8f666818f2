package org.karyo.omics.hts.internal;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** BGZF constants and the compression of one block (SAM/BAM spec §4.1). */
public final class Bgzf {

    /** The most bytes a BGZF block holds, compressed or not. */
    public static final int MAX_BLOCK_SIZE = 65536;
    /** The uncompressed bytes bgzip puts into a block. */
    public static final int BLOCK_DATA_SIZE = 0xff00;
    /** gzip header with the BC extra field. */
    public static final int HEADER_LENGTH = 18;
    /** CRC32 + ISIZE. */
    public static final int FOOTER_LENGTH = 8;

    /** The empty block that ends every BGZF file. */
    private static final byte[] EOF = {
        0x1f,
        (byte) 0x8b,
        8,
        4,
        0,
        0,
        0,
        0,
        0,
        (byte) 0xff,
        6,
        0,
        0x42,
        0x43,
        2,
        0,
        0x1b,
        0,
        3,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0
    };

    private Bgzf() {}

    /** A copy of the 28-byte EOF marker block. */
    public static byte[] eofBlock() {
        return EOF.clone();
    }

    /** True when {@code b[off..off+18)} is a BGZF block header as htslib accepts it (XLEN 6, BC subfield first). */
    public static boolean isBlockHeader(byte[] b, int off, int len) {
        return len >= HEADER_LENGTH
                && (b[off] & 0xff) == 0x1f
                && (b[off + 1] & 0xff) == 0x8b
                && b[off + 2] == 8
                && (b[off + 3] & 4) != 0
                && u16(b, off + 10) == 6
                && b[off + 12] == 'B'
                && b[off + 13] == 'C'
                && u16(b, off + 14) == 2;
    }

    /** True when the bytes start a gzip member (BGZF or not). */
    public static boolean isGzip(byte[] b, int off, int len) {
        return len >= 2 && (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b;
    }

    /** The total size of the block whose header is at {@code off}. */
    public static int blockSize(byte[] b, int off) {
        return u16(b, off + 16) + 1;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    /**
     * Compresses {@code len <= 0xff00} bytes into one block written to {@code out} (at least 65536 bytes long).
     *
     * @return the block size
     */
    public static int compressBlock(byte[] data, int off, int len, byte[] out, Deflater deflater, CRC32 crc) {
        if (len > BLOCK_DATA_SIZE) {
            throw new IllegalArgumentException("block data too large");
        }
        int room = MAX_BLOCK_SIZE - HEADER_LENGTH - FOOTER_LENGTH;
        int clen = deflate(data, off, len, out, room, deflater, Deflater.DEFAULT_COMPRESSION);
        if (clen < 0) {
            clen = deflate(data, off, len, out, room, deflater, Deflater.NO_COMPRESSION);
            if (clen < 0) {
                throw new IllegalStateException("incompressible BGZF block");
            }
        }
        int size = HEADER_LENGTH + clen + FOOTER_LENGTH;
        out[0] = 0x1f;
        out[1] = (byte) 0x8b;
        out[2] = 8;
        out[3] = 4;
        out[4] = 0;
        out[5] = 0;
        out[6] = 0;
        out[7] = 0;
        out[8] = 0;
        out[9] = (byte) 0xff;
        out[10] = 6;
        out[11] = 0;
        out[12] = 'B';
        out[13] = 'C';
        out[14] = 2;
        out[15] = 0;
        out[16] = (byte) (size - 1);
        out[17] = (byte) ((size - 1) >>> 8);
        crc.reset();
        crc.update(data, off, len);
        put32(out, HEADER_LENGTH + clen, (int) crc.getValue());
        put32(out, HEADER_LENGTH + clen + 4, len);
        return size;
    }

    private static int deflate(byte[] data, int off, int len, byte[] out, int room, Deflater deflater, int level) {
        deflater.reset();
        deflater.setLevel(level);
        deflater.setInput(data, off, len);
        deflater.finish();
        int n = 0;
        while (!deflater.finished()) {
            if (n == room) {
                return -1;
            }
            n += deflater.deflate(out, HEADER_LENGTH + n, room - n);
        }
        return n;
    }
}
