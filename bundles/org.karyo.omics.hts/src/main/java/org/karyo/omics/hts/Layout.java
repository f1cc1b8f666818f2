package org.karyo.omics.hts;

/** Column layout of a tabix-indexed text format (tabix's {@code -p vcf} / {@code -p bed}). */
public enum Layout {
    VCF,
    BED
}
