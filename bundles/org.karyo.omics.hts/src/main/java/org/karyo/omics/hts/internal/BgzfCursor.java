package org.karyo.omics.hts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.karyo.omics.hts.RangeSource;

/**
 * Reads lines of a BGZF file over ranged reads with htslib's {@code bgzf_getline} / {@code bgzf_tell} semantics.
 * Each {@link #seek} names how far the caller expects to read, so that one ranged read serves a whole span of
 * chunks; reading past it opens a further range. With an executor, a ranged read of at least {@value #READ_AHEAD_MIN}
 * bytes is inflated ahead on one of its threads while this cursor's thread scans lines.
 */
public final class BgzfCursor implements AutoCloseable {

    private static final int MIN_WINDOW = Bgzf.MAX_BLOCK_SIZE * 2;
    private static final int MAX_GROWN_WINDOW = 16 << 20;
    /** Blocks are skipped in the open stream (not re-opened) when the target is at most this far ahead. */
    private static final long SKIP_LIMIT = 256 << 10;
    /** Ranged reads shorter than this are inflated on the caller's thread: a handover would cost more than it saves. */
    static final long READ_AHEAD_MIN = 1 << 20;

    private final RangeSource source;
    private final long fileLength;
    private final Executor readAhead;
    private BlockStream reader;
    private long streamEnd;
    private long window = MIN_WINDOW;
    private int opens;

    // bgzf state
    private long blockAddress;
    private int blockOffset;
    private int blockLength;
    // the block in memory
    private long loadedAddress = -1;
    private long loadedNext;
    private int loadedLength;
    private final byte[] loaded = new byte[Bgzf.MAX_BLOCK_SIZE];
    private long plannedEnd;

    private byte[] line = new byte[1024];
    private int lineLength;

    public BgzfCursor(RangeSource source) throws IOException {
        this(source, null);
    }

    /** A cursor whose long ranged reads are inflated ahead on {@code readAhead}'s threads (none when null). */
    public BgzfCursor(RangeSource source, Executor readAhead) throws IOException {
        this.source = source;
        this.fileLength = source.length();
        this.readAhead = readAhead;
    }

    /** The number of ranged reads made so far. */
    public int opens() {
        return opens;
    }

    /**
     * Moves to virtual offset {@code voffset}; {@code readUntil} is the file offset up to which the caller expects to
     * read (the ranged read opened here covers it).
     */
    public void seek(long voffset, long readUntil) {
        blockAddress = voffset >>> 16;
        blockOffset = (int) (voffset & 0xffff);
        blockLength = 0;
        plannedEnd = Math.max(readUntil, blockAddress + Bgzf.MAX_BLOCK_SIZE);
    }

    /** htslib's {@code bgzf_tell}. */
    public long tell() {
        return blockAddress << 16 | (blockOffset & 0xffff);
    }

    /** The bytes of the last line read (valid until the next call); CR before the newline removed. */
    public byte[] line() {
        return line;
    }

    public int lineLength() {
        return lineLength;
    }

    /**
     * Reads the next line ({@code bgzf_getline}).
     *
     * @return false at the end of the file
     */
    public boolean readLine() throws IOException {
        lineLength = 0;
        boolean found = false;
        boolean eof = false;
        do {
            if (blockOffset >= blockLength) {
                if (!readBlock()) {
                    eof = true;
                    break;
                }
            }
            int l = blockOffset;
            while (l < blockLength && loaded[l] != '\n') {
                l++;
            }
            if (l < blockLength) {
                found = true;
            }
            int n = l - blockOffset;
            append(loaded, blockOffset, n);
            blockOffset += n + 1;
            if (blockOffset >= blockLength) {
                blockAddress = loadedNext;
                blockOffset = 0;
                blockLength = 0;
            }
        } while (!found);
        if (lineLength == 0 && eof) {
            return false;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return true;
    }

    private void append(byte[] b, int off, int n) {
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(b, off, line, lineLength, n);
        lineLength += n;
    }

    /** Loads the block at {@link #blockAddress}, skipping empty blocks; false at the end of the file. */
    private boolean readBlock() throws IOException {
        long address = blockAddress;
        while (true) {
            if (address >= fileLength) {
                blockLength = 0;
                return false;
            }
            if (loadedAddress != address) {
                load(address);
            }
            if (loadedLength > 0) {
                break;
            }
            address = loadedNext;
        }
        blockAddress = address;
        blockLength = loadedLength;
        return true;
    }

    private void load(long address) throws IOException {
        boolean reuse = reader != null
                && reader.nextAddress() <= address
                && address - reader.nextAddress() <= SKIP_LIMIT
                && (address + Bgzf.MAX_BLOCK_SIZE <= streamEnd || streamEnd >= fileLength);
        if (!reuse) {
            open(address);
        }
        while (reader.nextAddress() < address) {
            if (!reader.skip()) {
                throw new IOException("invalid virtual offset: byte " + address + " is past the end of the file");
            }
        }
        if (reader.nextAddress() != address) {
            throw new IOException("invalid virtual offset: no BGZF block starts at byte " + address);
        }
        if (!reader.next()) {
            throw new BgzfException(address, "truncated BGZF file");
        }
        loadedAddress = address;
        loadedNext = reader.nextAddress();
        loadedLength = reader.length();
        System.arraycopy(reader.data(), 0, loaded, 0, loadedLength);
    }

    private void open(long address) throws IOException {
        closeReader();
        long end;
        if (plannedEnd > address) {
            end = plannedEnd;
        } else {
            window = Math.min(Math.max(window * 2, MIN_WINDOW), MAX_GROWN_WINDOW);
            end = address + window;
        }
        end = Math.min(Math.max(end, address + MIN_WINDOW), fileLength);
        InputStream in = source.open(address, end - address);
        opens++;
        reader = readAhead != null && end - address >= READ_AHEAD_MIN
                ? BlockStream.readAhead(in, address, readAhead)
                : BlockStream.direct(in, address);
        streamEnd = end;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }
}
