package org.karyo.omics.api;

/** What a genomic file holds; the compression is detected from its bytes. */
public enum ArtifactKind {
    /** Variant Call Format, plain text or BGZF (a plain upload is stored as BGZF with a tabix index). */
    VCF,
    /** Browser Extensible Data, plain text or BGZF (a plain upload is stored as BGZF with a tabix index). */
    BED,
    /** Binary VCF; stored with its header metadata, no region queries. */
    BCF,
    /** Apache Parquet; schema and row count read from its footer, no region queries. */
    PARQUET
}
