package org.karyo.omics.hts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads BGZF blocks one after the other from a stream that starts at a block boundary. Every block is checked: its
 * header, its deflate stream, CRC32 and ISIZE.
 */
public final class BlockReader implements AutoCloseable {

    private final InputStream in;
    private final byte[] cbuf = new byte[Bgzf.MAX_BLOCK_SIZE];
    private final byte[] ubuf = new byte[Bgzf.MAX_BLOCK_SIZE];
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long next;
    private long address = -1;
    private int compressedSize;
    private int length;

    /** A reader of the blocks of {@code in}, whose first byte is at file offset {@code address}. */
    public BlockReader(InputStream in, long address) {
        this.in = in;
        this.next = address;
    }

    /**
     * Reads and inflates the next block.
     *
     * @return false at the clean end of the stream (no byte left)
     */
    public boolean next() throws IOException {
        if (!readCompressed()) {
            return false;
        }
        inflate();
        return true;
    }

    /** Reads the next block without inflating it ({@link #data()} is then undefined). */
    public boolean skip() throws IOException {
        return readCompressed();
    }

    private boolean readCompressed() throws IOException {
        long at = next;
        int n = in.readNBytes(cbuf, 0, Bgzf.HEADER_LENGTH);
        if (n == 0) {
            return false;
        }
        if (n < Bgzf.HEADER_LENGTH) {
            throw new BgzfException(at, "truncated BGZF block header (the file is cut short)");
        }
        if (!Bgzf.isBlockHeader(cbuf, 0, n)) {
            if (Bgzf.isGzip(cbuf, 0, n)) {
                throw new BgzfException(at, "gzip member that is not a BGZF block (compress with bgzip)");
            }
            throw new BgzfException(at, "not a BGZF block header");
        }
        int size = Bgzf.blockSize(cbuf, 0);
        if (size < Bgzf.HEADER_LENGTH + Bgzf.FOOTER_LENGTH + 2) {
            throw new BgzfException(at, "invalid BGZF block size");
        }
        int rest = size - Bgzf.HEADER_LENGTH;
        if (in.readNBytes(cbuf, Bgzf.HEADER_LENGTH, rest) != rest) {
            throw new BgzfException(at, "truncated BGZF block (the file is cut short)");
        }
        address = at;
        compressedSize = size;
        next = at + size;
        length = Bgzf.i32(cbuf, size - 4);
        if (length < 0 || length > Bgzf.MAX_BLOCK_SIZE) {
            throw new BgzfException(at, "invalid BGZF block ISIZE");
        }
        return true;
    }

    private void inflate() throws BgzfException {
        int size = compressedSize;
        inflater.reset();
        inflater.setInput(cbuf, Bgzf.HEADER_LENGTH, size - Bgzf.HEADER_LENGTH - Bgzf.FOOTER_LENGTH);
        int n;
        try {
            n = 0;
            while (n < ubuf.length && !inflater.finished()) {
                int k = inflater.inflate(ubuf, n, ubuf.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new BgzfException(address, "corrupt BGZF block (invalid deflate data)");
        }
        if (!inflater.finished() || inflater.getRemaining() != 0) {
            throw new BgzfException(address, "corrupt BGZF block (deflate data does not fill the block)");
        }
        if (n != length) {
            throw new BgzfException(address, "corrupt BGZF block (ISIZE does not match the data)");
        }
        crc.reset();
        crc.update(ubuf, 0, n);
        if ((int) crc.getValue() != Bgzf.i32(cbuf, size - 8)) {
            throw new BgzfException(address, "corrupt BGZF block (CRC32 mismatch)");
        }
    }

    /** The file offset of the current block. */
    public long address() {
        return address;
    }

    /** The file offset just past the current block. */
    public long nextAddress() {
        return next;
    }

    /** The compressed size of the current block. */
    public int compressedSize() {
        return compressedSize;
    }

    /** The compressed bytes of the current block (valid until the next call). */
    public byte[] compressed() {
        return cbuf;
    }

    /** The uncompressed bytes of the current block (valid until the next call). */
    public byte[] data() {
        return ubuf;
    }

    /** The number of uncompressed bytes of the current block. */
    public int length() {
        return length;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
