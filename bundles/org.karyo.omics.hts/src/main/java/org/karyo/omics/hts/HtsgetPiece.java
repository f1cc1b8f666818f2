package org.karyo.omics.hts;

/** One piece of a GA4GH htsget answer: bytes given inline, or a byte range of the stored file. */
public sealed interface HtsgetPiece {

    /**
     * Bytes a client uses as they are (a data: URL in the ticket).
     *
     * @param bytes BGZF bytes
     */
    record Inline(byte[] bytes) implements HtsgetPiece {}

    /**
     * A byte range of the stored file.
     *
     * @param start the first byte
     * @param endInclusive the last byte, inclusive
     */
    record Range(long start, long endInclusive) implements HtsgetPiece {}
}
