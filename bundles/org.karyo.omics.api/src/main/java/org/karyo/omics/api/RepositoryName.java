package org.karyo.omics.api;

/** The public repositories a genomic file may also be deposited in. */
public enum RepositoryName {
    /** European Genome-phenome Archive (accessions such as {@code EGAD00001000001}). */
    EGA,
    /** NCBI Sequence Read Archive (accessions such as {@code SRR000001}). */
    SRA,
    /** NCBI Gene Expression Omnibus (accessions such as {@code GSE1000}). */
    GEO
}
