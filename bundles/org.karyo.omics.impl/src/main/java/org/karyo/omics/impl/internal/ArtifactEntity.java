package org.karyo.omics.impl.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.MapKeyColumn;
import javax.persistence.OrderColumn;
import javax.persistence.Table;
import javax.persistence.Version;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.ArtifactState;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.FieldDefinition;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.ParquetColumn;
import org.karyo.omics.api.ReferenceAssembly;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.Versioned;

/**
 * A row of {@code karyo_omics.artifact} with its metadata rows (samples, contigs, definitions, aliases, Parquet
 * columns). Its id is drawn from {@code artifact_id_seq} by the job before the objects are written.
 */
@Entity
@Table(schema = OmicsReads.SCHEMA, name = "artifact")
public class ArtifactEntity implements Versioned {

    @Id
    @Column(name = "id")
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "participant_id")
    private Long participantId;

    @Column(name = "upload_id", nullable = false, updatable = false)
    private long uploadId;

    @Column(name = "file_name", nullable = false, updatable = false)
    private String fileName;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, updatable = false)
    private ArtifactKind kind;

    @Enumerated(EnumType.STRING)
    @Column(name = "compression", nullable = false, updatable = false)
    private Compression compression;

    @Enumerated(EnumType.STRING)
    @Column(name = "index_type", nullable = false, updatable = false)
    private IndexType indexType;

    @Enumerated(EnumType.STRING)
    @Column(name = "assembly_reference", nullable = false)
    private ReferenceAssembly assemblyReference;

    @Column(name = "assembly_name", nullable = false)
    private String assemblyName;

    @Column(name = "upload_sha256", nullable = false, updatable = false)
    private String uploadSha256;

    @Column(name = "upload_size", nullable = false, updatable = false)
    private long uploadSize;

    @Column(name = "stored_sha256", nullable = false, updatable = false)
    private String storedSha256;

    @Column(name = "stored_md5", nullable = false, updatable = false)
    private String storedMd5;

    @Column(name = "stored_size", nullable = false, updatable = false)
    private long storedSize;

    @Column(name = "data_key", nullable = false, updatable = false)
    private String dataKey;

    @Column(name = "index_key", updatable = false)
    private String indexKey;

    @Enumerated(EnumType.STRING)
    @Column(name = "repository_name")
    private RepositoryName repositoryName;

    @Column(name = "repository_id")
    private String repositoryId;

    @Column(name = "qc_key")
    private String qcKey;

    @Column(name = "qc_file_name")
    private String qcFileName;

    @Column(name = "qc_media_type")
    private String qcMediaType;

    @Column(name = "qc_size")
    private Long qcSize;

    @Column(name = "qc_sha256")
    private String qcSha256;

    @Convert(converter = InstantConverter.class)
    @Column(name = "qc_uploaded_at")
    private Instant qcUploadedAt;

    @Column(name = "file_format", nullable = false, updatable = false)
    private String fileFormat;

    @Column(name = "record_count", nullable = false, updatable = false)
    private long recordCount;

    @Column(name = "reference_hint", updatable = false)
    private String referenceHint;

    @Column(name = "parquet_rows", updatable = false)
    private Long parquetRows;

    @Column(name = "parquet_row_groups", updatable = false)
    private Integer parquetRowGroups;

    @Column(name = "parquet_created_by", updatable = false)
    private String parquetCreatedBy;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private ArtifactState state;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "modified_at", nullable = false)
    private Instant modifiedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = OmicsReads.SCHEMA,
            name = "artifact_sample",
            joinColumns = @JoinColumn(name = "artifact_id"))
    @OrderColumn(name = "position")
    @Column(name = "name", nullable = false)
    private List<String> samples = new ArrayList<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = OmicsReads.SCHEMA,
            name = "artifact_contig",
            joinColumns = @JoinColumn(name = "artifact_id"))
    @OrderColumn(name = "position")
    private List<ContigRow> contigs = new ArrayList<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = OmicsReads.SCHEMA,
            name = "artifact_definition",
            joinColumns = @JoinColumn(name = "artifact_id"))
    @OrderColumn(name = "position")
    private List<DefinitionRow> definitions = new ArrayList<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = OmicsReads.SCHEMA,
            name = "artifact_alias",
            joinColumns = @JoinColumn(name = "artifact_id"))
    @MapKeyColumn(name = "alias")
    @Column(name = "contig", nullable = false)
    private Map<String, String> aliases = new HashMap<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = OmicsReads.SCHEMA,
            name = "artifact_parquet_column",
            joinColumns = @JoinColumn(name = "artifact_id"))
    @OrderColumn(name = "position")
    private List<ParquetColumnRow> parquetColumns = new ArrayList<>();

    /** For JPA. */
    protected ArtifactEntity() {}

    ArtifactEntity(StoredFile f, UploadEntity u, Instant now) {
        this.id = f.artifactId();
        this.projectId = u.projectId();
        this.participantId = u.participantId();
        this.uploadId = u.id();
        this.fileName = u.fileName();
        this.kind = u.kind();
        this.compression = f.compression();
        this.indexType = f.indexType();
        assembly(u.assembly());
        repository(u.repository());
        this.uploadSha256 = f.uploadSha256();
        this.uploadSize = f.uploadSize();
        this.storedSha256 = f.storedSha256();
        this.storedMd5 = f.storedMd5();
        this.storedSize = f.storedSize();
        this.dataKey = f.dataKey();
        this.indexKey = f.indexKey();
        ArtifactMetadata m = f.metadata();
        this.fileFormat = m.fileFormat();
        this.recordCount = m.records();
        this.referenceHint = m.referenceHint();
        this.samples.addAll(m.samples());
        for (Contig c : m.contigs()) {
            contigs.add(new ContigRow(c.name(), c.length(), c.records()));
        }
        addDefinitions("INFO", m.info());
        addDefinitions("FORMAT", m.format());
        addDefinitions("FILTER", m.filter());
        this.aliases.putAll(f.aliases());
        if (m.parquet() != null) {
            this.parquetRows = m.parquet().rows();
            this.parquetRowGroups = m.parquet().rowGroups();
            this.parquetCreatedBy = m.parquet().createdBy();
            for (ParquetColumn c : m.parquet().columns()) {
                parquetColumns.add(new ParquetColumnRow(c.path(), c.physicalType(), c.logicalType(), c.repetition()));
            }
        }
        this.state = ArtifactState.AVAILABLE;
        this.createdBy = u.createdBy();
        this.createdAt = now;
        this.modifiedAt = now;
    }

    private void addDefinitions(String kind, List<FieldDefinition> defs) {
        for (FieldDefinition d : defs) {
            definitions.add(new DefinitionRow(kind, d.id(), d.number(), d.type(), d.description()));
        }
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

    @Override
    public long version() {
        return version;
    }

    ArtifactKind kind() {
        return kind;
    }

    String fileName() {
        return fileName;
    }

    String dataKey() {
        return dataKey;
    }

    String indexKey() {
        return indexKey;
    }

    IndexType indexType() {
        return indexType;
    }

    long storedSize() {
        return storedSize;
    }

    String storedSha256() {
        return storedSha256;
    }

    String storedMd5() {
        return storedMd5;
    }

    String qcKey() {
        return qcKey;
    }

    String qcFileName() {
        return qcFileName;
    }

    long qcSize() {
        return qcSize == null ? 0 : qcSize;
    }

    String qcSha256() {
        return qcSha256;
    }

    List<String> samples() {
        return samples;
    }

    void assembly(Assembly a) {
        this.assemblyReference = a.reference();
        this.assemblyName = a.name();
    }

    void repository(RepositoryRef r) {
        this.repositoryName = r == null ? null : r.name();
        this.repositoryId = r == null ? null : r.id();
    }

    void participant(Long participant) {
        this.participantId = participant;
    }

    void qc(String key, String name, String mediaType, long size, String sha256, Instant now) {
        this.qcKey = key;
        this.qcFileName = name;
        this.qcMediaType = mediaType;
        this.qcSize = size;
        this.qcSha256 = sha256;
        this.qcUploadedAt = now;
    }

    /** Records a change; a clock that went backwards never makes {@code modified_at} precede {@code created_at}. */
    void touch(Instant now) {
        this.modifiedAt = now.isBefore(createdAt) ? createdAt : now;
    }
}
