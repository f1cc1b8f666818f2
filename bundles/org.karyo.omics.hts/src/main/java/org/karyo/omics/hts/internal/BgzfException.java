package org.karyo.omics.hts.internal;

import java.io.IOException;

/** A malformed BGZF block; the message is client-safe. */
public final class BgzfException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long blockOffset;

    public BgzfException(long blockOffset, String message) {
        super(message);
        this.blockOffset = blockOffset;
    }

    /** The file offset of the block that is wrong. */
    public long blockOffset() {
        return blockOffset;
    }
}
