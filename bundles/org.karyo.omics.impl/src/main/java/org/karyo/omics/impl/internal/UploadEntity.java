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
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.IndexDeclaration;
import org.karyo.omics.api.ReferenceAssembly;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.omics.api.UploadState;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.Versioned;
import org.karyo.storage.api.MultipartUpload;

/** A row of {@code karyo_omics.upload}: what the client declared, and the store's multipart upload. */
@Entity
@Table(schema = OmicsReads.SCHEMA, name = "upload")
public class UploadEntity implements Versioned {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "participant_id", updatable = false)
    private Long participantId;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, updatable = false)
    private ArtifactKind kind;

    @Column(name = "file_name", nullable = false, updatable = false)
    private String fileName;

    @Column(name = "size", nullable = false, updatable = false)
    private long size;

    @Column(name = "sha256", nullable = false, updatable = false)
    private String sha256;

    @Column(name = "idempotency_key", nullable = false, updatable = false)
    private String idempotencyKey;

    @Column(name = "fingerprint", nullable = false, updatable = false)
    private String fingerprint;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Enumerated(EnumType.STRING)
    @Column(name = "assembly_reference", nullable = false, updatable = false)
    private ReferenceAssembly assemblyReference;

    @Column(name = "assembly_name", nullable = false, updatable = false)
    private String assemblyName;

    @Enumerated(EnumType.STRING)
    @Column(name = "repository_name", updatable = false)
    private RepositoryName repositoryName;

    @Column(name = "repository_id", updatable = false)
    private String repositoryId;

    @Column(name = "index_type", updatable = false)
    private String indexType;

    @Column(name = "index_size", updatable = false)
    private Long indexSize;

    @Column(name = "index_sha256", updatable = false)
    private String indexSha256;

    @Column(name = "index_received", nullable = false)
    private boolean indexReceived;

    @Column(name = "part_size", nullable = false, updatable = false)
    private long partSize;

    @Column(name = "part_count", nullable = false, updatable = false)
    private int partCount;

    @Column(name = "store_upload_id")
    private String storeUploadId;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private UploadState state;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "job_id")
    private Long jobId;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected UploadEntity() {}

    UploadEntity(
            UploadRules.Checked u,
            String createdBy,
            String fingerprint,
            long partSize,
            int partCount,
            Instant now,
            Instant expiresAt) {
        this.projectId = u.project();
        this.participantId = u.participant();
        this.kind = u.kind();
        this.fileName = u.fileName();
        this.size = u.size();
        this.sha256 = u.sha256();
        this.idempotencyKey = u.idempotencyKey();
        this.fingerprint = fingerprint;
        this.createdBy = createdBy;
        this.assemblyReference = u.assembly().reference();
        this.assemblyName = u.assembly().name();
        if (u.repository() != null) {
            this.repositoryName = u.repository().name();
            this.repositoryId = u.repository().id();
        }
        if (u.index() != null) {
            this.indexType = u.index().type();
            this.indexSize = u.index().size();
            this.indexSha256 = u.index().sha256();
        }
        this.partSize = partSize;
        this.partCount = partCount;
        this.state = UploadState.RECEIVING;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    @Override
    public long version() {
        return version;
    }

    long id() {
        return id;
    }

    long projectId() {
        return projectId;
    }

    Long participantId() {
        return participantId;
    }

    ArtifactKind kind() {
        return kind;
    }

    String fileName() {
        return fileName;
    }

    long size() {
        return size;
    }

    String sha256() {
        return sha256;
    }

    String fingerprint() {
        return fingerprint;
    }

    String createdBy() {
        return createdBy;
    }

    Assembly assembly() {
        return new Assembly(assemblyReference, assemblyName);
    }

    RepositoryRef repository() {
        return repositoryName == null ? null : new RepositoryRef(repositoryName, repositoryId);
    }

    /** The declared index, with its type in lower case ({@code tbi}, {@code csi}), or {@code null}. */
    IndexDeclaration index() {
        return indexType == null
                ? null
                : new IndexDeclaration(indexType.toLowerCase(java.util.Locale.ROOT), indexSize, indexSha256);
    }

    boolean indexDeclared() {
        return indexType != null;
    }

    boolean indexReceived() {
        return indexReceived;
    }

    void indexReceived(boolean received) {
        this.indexReceived = received;
    }

    long partSize() {
        return partSize;
    }

    int partCount() {
        return partCount;
    }

    /** The store's multipart upload of the data, or {@code null} before it started. */
    MultipartUpload multipart() {
        return storeUploadId == null ? null : new MultipartUpload(Keys.uploadData(id), storeUploadId);
    }

    void multipart(MultipartUpload upload) {
        this.storeUploadId = upload.uploadId();
    }

    /** The stored state; {@link UploadState#EXPIRED} once a receiving upload passed its expiry. */
    UploadState state(Instant now) {
        return UploadRules.state(state, expiresAt, now);
    }

    void state(UploadState state) {
        this.state = state;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** The latest validation job (a platform job), or {@code null} before the upload was completed. */
    Long jobId() {
        return jobId;
    }

    void jobId(long job) {
        this.jobId = job;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    /** The expected length of part {@code number} (1-based). */
    long expectedPartSize(int number) {
        return Math.min(partSize, size - (number - 1L) * partSize);
    }
}
