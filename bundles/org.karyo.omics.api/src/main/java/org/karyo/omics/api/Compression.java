package org.karyo.omics.api;

/** How a stored file is compressed. */
public enum Compression {
    /** Not compressed (Parquet, whose pages carry their own compression). */
    NONE,
    /** Blocked GNU zip (bgzip), seekable through an index. */
    BGZF
}
