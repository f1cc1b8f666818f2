package org.karyo.projects.impl.internal;

import java.time.Instant;
import java.time.LocalDate;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.karyo.projects.api.ProjectStatus;

/**
 * A row of {@code karyo_projects.projects}; used for writes, reads go through {@link Reads}. The participant sequence
 * is not mapped: it only ever moves by a statement of a write ({@link ProjectsStore#reserveParticipantNumbers}).
 */
@Entity
@Table(schema = Reads.SCHEMA, name = "projects")
public class ProjectEntity extends StampedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "institution_id", nullable = false, updatable = false)
    private long institutionId;

    @Column(name = "investigator_id", nullable = false)
    private long investigatorId;

    @Column(name = "code", nullable = false, updatable = false)
    private String code;

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "description")
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private ProjectStatus status;

    @Column(name = "start_date", nullable = false)
    private LocalDate startDate;

    @Column(name = "end_date")
    private LocalDate endDate;

    @Column(name = "perimeter_id", nullable = false, updatable = false)
    private long perimeterId;

    /** For JPA. */
    protected ProjectEntity() {}

    ProjectEntity(long institutionId, String code, long perimeterId, Instant now) {
        super(now);
        this.institutionId = institutionId;
        this.code = code;
        this.perimeterId = perimeterId;
    }

    Long id() {
        return id;
    }

    void assign(
            long investigatorId,
            String name,
            String description,
            ProjectStatus status,
            LocalDate startDate,
            LocalDate endDate) {
        this.investigatorId = investigatorId;
        this.name = name;
        this.description = description;
        this.status = status;
        this.startDate = startDate;
        this.endDate = endDate;
    }
}
