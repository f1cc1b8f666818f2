package org.karyo.omics.hts.internal;

/**
 * The column configuration tabix stores in its index: {@code preset} (0 generic, 1 SAM, 2 VCF, | 0x10000 for 0-based
 * half-open UCSC coordinates), the 1-based sequence/begin/end columns, the meta character and the header lines to skip.
 */
public record TabixConf(int preset, int seqColumn, int beginColumn, int endColumn, int metaChar, int skip) {

    public static final int GENERIC = 0;
    public static final int SAM = 1;
    public static final int VCF = 2;
    public static final int UCSC = 0x10000;

    /** tabix -p vcf. */
    public static final TabixConf VCF_CONF = new TabixConf(VCF, 1, 2, 0, '#', 0);
    /** tabix -p bed. */
    public static final TabixConf BED_CONF = new TabixConf(UCSC, 1, 2, 3, '#', 0);
}
