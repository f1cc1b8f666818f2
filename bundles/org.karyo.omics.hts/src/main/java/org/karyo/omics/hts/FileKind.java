package org.karyo.omics.hts;

/** The kinds of genomic files Karyo validates; compression is detected from the bytes. */
public enum FileKind {
    VCF,
    BED,
    BCF,
    PARQUET
}
