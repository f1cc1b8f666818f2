package org.karyo.omics.hts.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes BGZF blocks of at most 0xff00 uncompressed bytes, as bgzip does, and knows the virtual offset it is at. */
public final class BgzfWriter extends OutputStream {

    /** Called after each block is written. */
    public interface BlockListener {
        void block(long address, int compressedSize, byte[] data, int length) throws IOException;
    }

    private final OutputStream out;
    private final byte[] buf = new byte[Bgzf.BLOCK_DATA_SIZE];
    private final byte[] block = new byte[Bgzf.MAX_BLOCK_SIZE];
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final BlockListener listener;
    private int n;
    private long address;
    private boolean finished;

    public BgzfWriter(OutputStream out) {
        this(out, null);
    }

    public BgzfWriter(OutputStream out, BlockListener listener) {
        this.out = out;
        this.listener = listener;
    }

    @Override
    public void write(int b) throws IOException {
        buf[n++] = (byte) b;
        if (n == buf.length) {
            flushBlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int k = Math.min(len, buf.length - n);
            System.arraycopy(b, off, buf, n, k);
            n += k;
            off += k;
            len -= k;
            if (n == buf.length) {
                flushBlock();
            }
        }
    }

    /** Compresses what is buffered into a block (nothing when the buffer is empty). */
    public void flushBlock() throws IOException {
        if (n == 0) {
            return;
        }
        int size = Bgzf.compressBlock(buf, 0, n, block, deflater, crc);
        out.write(block, 0, size);
        if (listener != null) {
            listener.block(address, size, buf, n);
        }
        address += size;
        n = 0;
    }

    /** The virtual offset of the next byte written. */
    public long tell() {
        return address << 16 | n;
    }

    /** The number of compressed bytes written so far. */
    public long address() {
        return address;
    }

    /** Flushes the last block and writes the EOF marker block; does not close the underlying stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        flushBlock();
        out.write(Bgzf.eofBlock());
        address += 28;
        finished = true;
        deflater.end();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    /** BGZF-compresses {@code data} into blocks, without an EOF block. */
    public static byte[] compress(byte[] data, int off, int len) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(len / 3 + 64);
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        CRC32 c = new CRC32();
        byte[] blk = new byte[Bgzf.MAX_BLOCK_SIZE];
        try {
            while (len > 0) {
                int k = Math.min(len, Bgzf.BLOCK_DATA_SIZE);
                int size = Bgzf.compressBlock(data, off, k, blk, d, c);
                bytes.write(blk, 0, size);
                off += k;
                len -= k;
            }
        } finally {
            d.end();
        }
        return bytes.toByteArray();
    }
}
