package org.karyo.omics.impl.internal;

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
import javax.persistence.Version;
import org.karyo.omics.api.JobState;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.Versioned;

/** A row of {@code karyo_omics.job}: the validation of one completed upload. */
@Entity
@Table(schema = OmicsReads.SCHEMA, name = "job")
public class JobEntity implements Versioned {

    /** The longest error text stored (the column's width). */
    static final int MESSAGE_MAX = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "upload_id", nullable = false, updatable = false)
    private long uploadId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private JobState state;

    @Column(name = "artifact_id")
    private Long artifactId;

    @Column(name = "error_where")
    private String errorWhere;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "started_at")
    private Instant startedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "finished_at")
    private Instant finishedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected JobEntity() {}

    JobEntity(long uploadId, long projectId, String createdBy, Instant now) {
        this.uploadId = uploadId;
        this.projectId = projectId;
        this.createdBy = createdBy;
        this.state = JobState.RECEIVED;
        this.createdAt = now;
    }

    @Override
    public long version() {
        return version;
    }

    long id() {
        return id;
    }

    long uploadId() {
        return uploadId;
    }

    long projectId() {
        return projectId;
    }

    JobState state() {
        return state;
    }

    int attempts() {
        return attempts;
    }

    String createdBy() {
        return createdBy;
    }

    /** Starts (another) attempt. */
    void start(Instant now) {
        state = JobState.VALIDATING;
        attempts++;
        startedAt = now;
    }

    /** Puts an interrupted attempt back in the queue. */
    void requeue() {
        state = JobState.RECEIVED;
    }

    void available(long artifact, Instant now) {
        state = JobState.AVAILABLE;
        artifactId = artifact;
        errorWhere = null;
        errorMessage = null;
        finishedAt = now;
    }

    void rejected(String where, String message, Instant now) {
        state = JobState.REJECTED;
        errorWhere = clip(where, 64);
        errorMessage = clip(message, MESSAGE_MAX);
        finishedAt = now;
    }

    void failed(String message, Instant now) {
        state = JobState.FAILED;
        errorWhere = null;
        errorMessage = clip(message, MESSAGE_MAX);
        finishedAt = now;
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
