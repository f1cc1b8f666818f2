package org.karyo.omics.hts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/** A tabix (.tbi) or CSI (.csi) index read from a stream. */
@ProviderType
public interface GenomicIndex {

    /** Reads a TBI (BGZF-compressed {@code TBI\1}) or CSI ({@code CSI\1}, BGZF-compressed or not) index. */
    static GenomicIndex read(InputStream in) throws IOException {
        return org.karyo.omics.hts.internal.BinIndex.read(in);
    }

    /** How many first bytes of an index {@link #typeOf} needs at most (one BGZF block). */
    int TYPE_BYTES = 65536;

    /**
     * The type of the index whose first bytes (at most {@link #TYPE_BYTES}) are {@code head[0..length)}: {@code "tbi"}
     * for tabix's {@code TBI\1}, {@code "csi"} for {@code CSI\1} (BGZF-compressed or not); empty for anything else.
     */
    static Optional<String> typeOf(byte[] head, int length) {
        return org.karyo.omics.hts.internal.BinIndex.typeOf(head, length);
    }

    /** {@code "tbi"} or {@code "csi"}. */
    String type();

    /** The contig names in index order; for a CSI without tabix meta, the names given to {@link #withNames}. */
    List<String> contigs();

    /** This index with the given contig names (for CSI indexes of BCF files, whose names live in the BCF header). */
    GenomicIndex withNames(List<String> contigNames);

    /** The number of records on {@code contig}, from the pseudo-bin when present. */
    OptionalLong recordCount(String contig);

    /** The contig name the index uses for {@code name}, trying aliases: exact, then {@code chr} added/removed, {@code MT}/{@code chrM}/{@code M}. */
    Optional<String> resolve(String name);

    /**
     * Chunks that may hold records overlapping [start, end] (1-based inclusive), merged and sorted, after the
     * linear-index/loffset minimum. Empty for an unknown contig.
     */
    List<Chunk> chunks(String contig, long start, long end);

    /** Every chunk boundary block offset ({@code virtualOffset >>> 16}) the index refers to, sorted and distinct. */
    long[] referencedBlockOffsets();

    /** Re-serialises the index (TBI written BGZF-compressed, as tabix does). */
    void write(OutputStream out) throws IOException;
}
