package org.karyo.omics.api;

/** The index stored next to a file. */
public enum IndexType {
    /** No index (Parquet, or a BCF uploaded without one). */
    NONE,
    /** A tabix index ({@code .tbi}). */
    TBI,
    /** A coordinate-sorted index ({@code .csi}, CSIv1). */
    CSI
}
