package org.karyo.omics.hts.internal;

import java.io.IOException;
import org.karyo.omics.hts.IngestException;

/** Receives the blocks of the stored BGZF file in order, as they are written or read. */
public interface BlockConsumer {

    /** One block: its file offset, compressed size and uncompressed bytes (empty blocks included). */
    void block(long address, int compressedSize, byte[] data, int length) throws IngestException, IOException;

    /** The data is complete. */
    void finish() throws IngestException, IOException;
}
