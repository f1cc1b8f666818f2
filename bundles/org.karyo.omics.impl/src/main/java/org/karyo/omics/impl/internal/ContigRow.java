package org.karyo.omics.impl.internal;

import javax.persistence.Column;
import javax.persistence.Embeddable;

/** A row of {@code karyo_omics.artifact_contig}. */
@Embeddable
public class ContigRow {

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "length")
    private Long length;

    @Column(name = "records", nullable = false)
    private long records;

    /** For JPA. */
    protected ContigRow() {}

    ContigRow(String name, Long length, long records) {
        this.name = name;
        this.length = length;
        this.records = records;
    }
}
