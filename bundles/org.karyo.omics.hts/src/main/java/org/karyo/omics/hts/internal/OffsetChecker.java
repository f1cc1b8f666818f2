package org.karyo.omics.hts.internal;

import java.util.Arrays;

/**
 * Checks, while the file streams by, that every virtual offset a supplied index refers to is a real place in the
 * file: a block that exists, an offset within that block, and a record boundary (the file start, the end of the
 * header, between two records, or the end of the data). Memory: the index's offsets and one block's boundaries.
 */
public final class OffsetChecker {

    private final long[] refs;
    private int k;
    private String failure;

    private long address = -1;
    private int length;
    private long ustart;
    private boolean startIsBoundary;
    private int[] offsets = new int[256];
    private int nOffsets;
    private long lastBoundary = 0;
    private boolean any;

    /** @param refs the index's virtual offsets, sorted (unsigned) */
    public OffsetChecker(long[] refs) {
        this.refs = refs;
    }

    /** A new block starts (blocks arrive in file order, empty ones included). */
    public void block(long blockAddress, int blockLength) {
        if (address >= 0) {
            settle();
            ustart += length;
        }
        address = blockAddress;
        length = blockLength;
        nOffsets = 0;
        startIsBoundary = !any || lastBoundary == ustart;
        any = true;
    }

    /** A record boundary at {@code offset} (0..length) in the current block. */
    public void boundary(int offset) {
        if (nOffsets == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[nOffsets++] = offset;
        lastBoundary = ustart + offset;
    }

    /** A record boundary at the end of the data (a last line without newline ends there). */
    public void endOfData() {
        boundary(length);
    }

    private void settle() {
        while (k < refs.length && failure == null) {
            long r = refs[k];
            long rb = r >>> 16;
            int ro = (int) (r & 0xffff);
            if (rb > address) {
                return;
            }
            if (rb < address) {
                failure = "it refers to byte " + rb + ", where no BGZF block starts";
                return;
            }
            boolean ok;
            if (ro > length) {
                ok = false;
            } else if (ro == 0) {
                ok = startIsBoundary || ustart == 0 || contains(0);
            } else {
                ok = contains(ro);
            }
            if (!ok) {
                failure = "it refers to a position that is not a record boundary (block at byte " + rb + ")";
                return;
            }
            k++;
        }
    }

    private boolean contains(int o) {
        return Arrays.binarySearch(offsets, 0, nOffsets, o) >= 0;
    }

    /**
     * Ends the check.
     *
     * @param fileLength the size of the file
     * @return null when every offset is good, else why not (client-safe)
     */
    public String finish(long fileLength) {
        if (address >= 0) {
            settle();
            ustart += length;
        }
        while (failure == null && k < refs.length) {
            long r = refs[k];
            if (r >>> 16 == fileLength && (r & 0xffff) == 0) {
                k++;
            } else {
                failure = "it refers to byte " + (r >>> 16) + ", where no BGZF block starts";
            }
        }
        return failure;
    }
}
