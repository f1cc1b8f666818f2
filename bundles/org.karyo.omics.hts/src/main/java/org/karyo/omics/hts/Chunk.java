package org.karyo.omics.hts;

/**
 * A span of a BGZF file between two virtual offsets ({@code blockOffset << 16 | offsetInBlock}).
 *
 * @param begin the virtual offset of the first byte
 * @param end the virtual offset just past the last byte
 */
public record Chunk(long begin, long end) {}
