package org.karyo.omics.impl.internal;

import javax.persistence.Column;
import javax.persistence.Embeddable;

/** A row of {@code karyo_omics.artifact_parquet_column}. */
@Embeddable
public class ParquetColumnRow {

    @Column(name = "path", nullable = false)
    private String path;

    @Column(name = "physical_type", nullable = false)
    private String physicalType;

    @Column(name = "logical_type")
    private String logicalType;

    @Column(name = "repetition", nullable = false)
    private String repetition;

    /** For JPA. */
    protected ParquetColumnRow() {}

    ParquetColumnRow(String path, String physicalType, String logicalType, String repetition) {
        this.path = path;
        this.physicalType = physicalType;
        this.logicalType = logicalType;
        this.repetition = repetition;
    }
}
