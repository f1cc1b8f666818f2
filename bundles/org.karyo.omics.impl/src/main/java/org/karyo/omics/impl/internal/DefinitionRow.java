package org.karyo.omics.impl.internal;

import javax.persistence.Column;
import javax.persistence.Embeddable;

/** A row of {@code karyo_omics.artifact_definition}: an INFO, FORMAT or FILTER definition. */
@Embeddable
public class DefinitionRow {

    @Column(name = "kind", nullable = false)
    private String kind;

    @Column(name = "field_id", nullable = false)
    private String fieldId;

    @Column(name = "number")
    private String number;

    @Column(name = "type")
    private String type;

    @Column(name = "description")
    private String description;

    /** For JPA. */
    protected DefinitionRow() {}

    DefinitionRow(String kind, String fieldId, String number, String type, String description) {
        this.kind = kind;
        this.fieldId = fieldId;
        this.number = number;
        this.type = type;
        this.description = description;
    }

    String kind() {
        return kind;
    }
}
