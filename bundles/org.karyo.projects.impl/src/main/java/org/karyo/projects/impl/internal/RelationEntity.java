package org.karyo.projects.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.karyo.persistence.InstantConverter;
import org.karyo.projects.api.RelationType;

/** A row of {@code karyo_projects.participant_relations}: immutable once stored. */
@Entity
@Table(schema = Reads.SCHEMA, name = "participant_relations")
public class RelationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "from_participant_id", nullable = false, updatable = false)
    private long fromParticipantId;

    @Column(name = "to_participant_id", nullable = false, updatable = false)
    private long toParticipantId;

    @Enumerated(EnumType.STRING)
    @Column(name = "relation_type", nullable = false, updatable = false)
    private RelationType type;

    @Column(name = "note", updatable = false)
    private String note;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    /** For JPA. */
    protected RelationEntity() {}

    RelationEntity(long projectId, long from, long to, RelationType type, String note, Instant createdAt) {
        this.projectId = projectId;
        this.fromParticipantId = from;
        this.toParticipantId = to;
        this.type = type;
        this.note = note;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    long projectId() {
        return projectId;
    }
}
