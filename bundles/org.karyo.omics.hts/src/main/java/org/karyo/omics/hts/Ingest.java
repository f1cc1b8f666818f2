package org.karyo.omics.hts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.karyo.omics.hts.internal.IngestPass;

/** The single streaming validation pass of an upload. */
public final class Ingest {

    private Ingest() {}

    /**
     * Reads the uploaded bytes once and:
     *
     * <ul>
     *   <li>computes sha256 and md5 of the upload (and of the stored object);
     *   <li>detects the compression: BGZF or plain; plain gzip that is not BGZF is rejected (use bgzip); Parquet is
     *       only hashed, with the PAR1 magic checked at both ends and the footer decoded when it is at most 4 MiB
     *       ({@link Metadata#records()} is then the row count, else -1);
     *   <li>checks every BGZF block (header, deflate data, CRC32, ISIZE) and the final EOF block;
     *   <li>parses the VCF header (or BCF's, after its magic {@code BCF\2\2} / {@code BCF\2\1}), checks each record
     *       (column count, POS, REF; BED: chrom, start, end) and the sort order: contigs in the order first seen,
     *       never resuming, positions non-decreasing within a contig;
     *   <li>writes the object to store to {@code stored}: the upload as it is when already BGZF, else BGZF-compressed
     *       by us (blocks of 0xff00 bytes, as bgzip);
     *   <li>when {@code suppliedIndex} is null, builds the index of the stored bytes as htslib does: TBI for VCF/BED
     *       ({@code tabix -p vcf|bed}; CSI when a position is beyond TBI's 2^29), CSI for BCF ({@code bcftools
     *       index}); when supplied, checks it against the stored file: every virtual offset it refers to is a record
     *       boundary of an existing block (or the file end), its contigs and per-contig record counts are the file's.
     * </ul>
     *
     * <p>Memory stays flat: one block, one line (bounded by {@link IngestLimits#maxLineLength()}) and the bins of
     * the index under construction.
     *
     * @param suppliedIndex the .tbi/.csi uploaded with the file, or null
     * @throws IngestException when the upload is rejected; nothing written to {@code stored} is then of use
     */
    public static IngestResult run(
            FileKind kind, InputStream upload, OutputStream stored, byte[] suppliedIndex, IngestLimits limits)
            throws IOException, IngestException {
        return IngestPass.run(kind, upload, stored, suppliedIndex, limits);
    }
}
