package org.karyo.omics.api;

/** The reference genome a file's coordinates refer to. */
public enum ReferenceAssembly {
    /** GRCh37 (hg19). */
    GRCH37,
    /** GRCh38 (hg38). */
    GRCH38,
    /** Another assembly, named by {@link Assembly#name()} (for example {@code T2T-CHM13v2.0}). */
    OTHER
}
