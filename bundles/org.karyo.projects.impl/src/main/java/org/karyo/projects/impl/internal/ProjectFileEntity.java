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
import org.karyo.projects.api.FileCategory;

/** A row of {@code karyo_projects.project_files}: immutable once stored (a new version is a new file). */
@Entity
@Table(schema = Reads.SCHEMA, name = "project_files")
public class ProjectFileEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "name", nullable = false, updatable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "category", nullable = false, updatable = false)
    private FileCategory category;

    @Column(name = "content_type", nullable = false, updatable = false)
    private String contentType;

    @Column(name = "size", nullable = false, updatable = false)
    private long size;

    @Column(name = "sha256", nullable = false, updatable = false)
    private String sha256;

    @Column(name = "object_key", nullable = false, updatable = false)
    private String objectKey;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    /** For JPA. */
    protected ProjectFileEntity() {}

    ProjectFileEntity(
            long projectId,
            String name,
            FileCategory category,
            StoredObject object,
            Instant createdAt,
            String createdBy) {
        this.projectId = projectId;
        this.name = name;
        this.category = category;
        this.contentType = object.contentType();
        this.size = object.size();
        this.sha256 = object.sha256();
        this.objectKey = object.key();
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    Long id() {
        return id;
    }

    long projectId() {
        return projectId;
    }

    String objectKey() {
        return objectKey;
    }
}
