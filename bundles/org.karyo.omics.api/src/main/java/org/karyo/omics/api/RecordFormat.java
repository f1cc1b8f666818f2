package org.karyo.omics.api;

/** How region query results are written. */
public enum RecordFormat {
    /** A VCF: the header (with its {@code #CHROM} line matching the columns kept), then the records ({@code text/vcf}). */
    VCF,
    /** The BED lines as stored, as {@code tabix} prints them ({@code text/plain}). */
    BED,
    /**
     * A JSON array streamed one record at a time: for VCF {@code {chrom, pos, id, ref, alt[], qual, filter[], info{},
     * samples{name:{key:value}}}}, for BED {@code {chrom, start, end, fields[]}}.
     */
    JSON
}
