package org.karyo.omics.impl.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.ArtifactState;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.FieldDefinition;
import org.karyo.omics.api.IndexDeclaration;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.ParquetColumn;
import org.karyo.omics.api.ParquetSchema;
import org.karyo.omics.api.QcMetrics;
import org.karyo.omics.api.ReferenceAssembly;
import org.karyo.omics.api.RepositoryName;
import org.karyo.omics.api.RepositoryRef;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadState;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.storage.api.MultipartUpload;

/**
 * The read side (docs/design/persistence.md, rule 1): uploads, jobs and artifacts as {@link Select}s run by
 * {@link Sql}, mapped straight to the API records. An artifact's metadata rows (samples, contigs, definitions,
 * aliases, Parquet columns) come as arrays of the same statement, in file order, built for the rows of a page only.
 */
final class OmicsReads {

    static final String SCHEMA = "karyo_omics";

    /** Wire names of {@link org.karyo.omics.api.ListQuery#ORDERABLE} to columns. */
    static final Map<String, String> UPLOAD_ORDER = Map.of("id", "u.id", "created_at", "u.created_at");

    /** Jobs are listed through their uploads: the latest job of each completed upload. */
    static final Map<String, String> JOB_ORDER = Map.of("id", "u.job_id", "created_at", "u.job_id");

    /** Wire names of {@link org.karyo.omics.api.ArtifactQuery#ORDERABLE} to columns. */
    static final Map<String, String> ARTIFACT_ORDER = Map.of(
            "id", "a.id",
            "created_at", "a.created_at",
            "file_name", "a.file_name",
            "stored_size", "a.stored_size",
            "kind", "a.kind");

    /** Uploads, each with its latest validation job. */
    static final Select UPLOADS = Select.of(
            "u.id, u.project_id, u.participant_id, u.kind, u.file_name, u.size, u.sha256, u.idempotency_key,"
                    + " u.fingerprint, u.created_by, u.assembly_reference, u.assembly_name, u.repository_name,"
                    + " u.repository_id, u.index_type, u.index_size, u.index_sha256, u.index_received, u.part_size,"
                    + " u.part_count, u.store_upload_id, u.state, u.created_at, u.expires_at, u.job_id",
            SCHEMA + ".upload u");

    private static String array(String table, String column) {
        return "ARRAY(SELECT x." + column + " FROM " + SCHEMA + "." + table + " x WHERE x.artifact_id = a.id"
                + " ORDER BY x.position) AS " + table.substring("artifact_".length()) + "_" + column;
    }

    static final Select ARTIFACTS = Select.of(
            "a.id, a.project_id, a.participant_id, a.upload_id, a.file_name, a.kind, a.compression, a.index_type,"
                    + " a.assembly_reference, a.assembly_name, a.upload_sha256, a.upload_size, a.stored_sha256,"
                    + " a.stored_md5, a.stored_size, a.data_key, a.index_key, a.repository_name, a.repository_id,"
                    + " a.qc_key, a.qc_file_name, a.qc_media_type, a.qc_size, a.qc_sha256, a.qc_uploaded_at,"
                    + " a.file_format, a.record_count, a.reference_hint, a.parquet_rows, a.parquet_row_groups,"
                    + " a.parquet_created_by, a.state, a.created_by, a.created_at, a.modified_at, a.version, "
                    + array("artifact_sample", "name") + ", "
                    + array("artifact_contig", "name") + ", "
                    + array("artifact_contig", "length") + ", "
                    + array("artifact_contig", "records") + ", "
                    + array("artifact_definition", "kind") + ", "
                    + array("artifact_definition", "field_id") + ", "
                    + array("artifact_definition", "number") + ", "
                    + array("artifact_definition", "type") + ", "
                    + array("artifact_definition", "description") + ", "
                    + array("artifact_parquet_column", "path") + ", "
                    + array("artifact_parquet_column", "physical_type") + ", "
                    + array("artifact_parquet_column", "logical_type") + ", "
                    + array("artifact_parquet_column", "repetition") + ","
                    + " ARRAY(SELECT x.alias FROM " + SCHEMA + ".artifact_alias x WHERE x.artifact_id = a.id"
                    + " ORDER BY x.alias) AS alias_alias,"
                    + " ARRAY(SELECT x.contig FROM " + SCHEMA + ".artifact_alias x WHERE x.artifact_id = a.id"
                    + " ORDER BY x.alias) AS alias_contig",
            SCHEMA + ".artifact a");

    private OmicsReads() {}

    // ---- uploads ------------------------------------------------------------------------------------------------

    /** An upload row: what the client declared, the store's multipart upload and its latest job. */
    record UploadRow(
            long id,
            long projectId,
            Long participantId,
            ArtifactKind kind,
            String fileName,
            long size,
            String sha256,
            String idempotencyKey,
            String fingerprint,
            String createdBy,
            Assembly assembly,
            RepositoryRef repository,
            IndexDeclaration index,
            boolean indexReceived,
            long partSize,
            int partCount,
            String storeUploadId,
            UploadState storedState,
            Instant createdAt,
            Instant expiresAt,
            Long jobId) {

        /** The state: {@link UploadState#EXPIRED} once a receiving upload passed its expiry. */
        UploadState state(Instant now) {
            return UploadRules.state(storedState, expiresAt, now);
        }

        /** The store's multipart upload of the data, or {@code null} before it started. */
        MultipartUpload multipart() {
            return storeUploadId == null ? null : new MultipartUpload(Keys.uploadData(id), storeUploadId);
        }

        long expectedPartSize(int number) {
            return Math.min(partSize, size - (number - 1L) * partSize);
        }

        Upload toDto(List<UploadPart> parts, Instant now) {
            return new Upload(
                    id,
                    projectId,
                    participantId,
                    kind,
                    fileName,
                    size,
                    sha256,
                    idempotencyKey,
                    assembly,
                    repository,
                    index,
                    indexReceived,
                    partSize,
                    partCount,
                    parts,
                    state(now),
                    jobId,
                    createdBy,
                    createdAt,
                    expiresAt);
        }
    }

    static UploadRow upload(ResultSet rs) throws SQLException {
        String repository = rs.getString("repository_name");
        String indexType = rs.getString("index_type");
        return new UploadRow(
                rs.getLong("id"),
                rs.getLong("project_id"),
                Sql.nullableLong(rs, "participant_id"),
                ArtifactKind.valueOf(rs.getString("kind")),
                rs.getString("file_name"),
                rs.getLong("size"),
                rs.getString("sha256"),
                rs.getString("idempotency_key"),
                rs.getString("fingerprint"),
                rs.getString("created_by"),
                new Assembly(
                        ReferenceAssembly.valueOf(rs.getString("assembly_reference")), rs.getString("assembly_name")),
                repository == null
                        ? null
                        : new RepositoryRef(RepositoryName.valueOf(repository), rs.getString("repository_id")),
                indexType == null
                        ? null
                        : new IndexDeclaration(
                                indexType.toLowerCase(Locale.ROOT),
                                rs.getLong("index_size"),
                                rs.getString("index_sha256")),
                rs.getBoolean("index_received"),
                rs.getLong("part_size"),
                rs.getInt("part_count"),
                rs.getString("store_upload_id"),
                UploadState.valueOf(rs.getString("state")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"),
                Sql.nullableLong(rs, "job_id"));
    }

    // ---- artifacts ----------------------------------------------------------------------------------------------

    /** An artifact with the keys of its objects (which never leave the module). */
    record ArtifactRow(Artifact artifact, String dataKey, String indexKey, String qcKey) {
        long id() {
            return artifact.id();
        }

        long projectId() {
            return artifact.projectId();
        }

        ArtifactKind kind() {
            return artifact.kind();
        }

        List<String> samples() {
            return artifact.metadata().samples();
        }

        Long participantId() {
            return artifact.participantId();
        }

        IndexType indexType() {
            return artifact.indexType();
        }

        String fileName() {
            return artifact.fileName();
        }

        long storedSize() {
            return artifact.storedSize();
        }

        String storedSha256() {
            return artifact.storedSha256();
        }

        String storedMd5() {
            return artifact.storedMd5();
        }
    }

    static ArtifactRow artifact(ResultSet rs) throws SQLException {
        List<String> definitionKinds = Sql.strings(rs, "definition_kind");
        List<String> definitionIds = Sql.strings(rs, "definition_field_id");
        List<String> numbers = Sql.strings(rs, "definition_number");
        List<String> types = Sql.strings(rs, "definition_type");
        List<String> descriptions = Sql.strings(rs, "definition_description");
        List<FieldDefinition> info = new ArrayList<>();
        List<FieldDefinition> format = new ArrayList<>();
        List<FieldDefinition> filter = new ArrayList<>();
        for (int i = 0; i < definitionKinds.size(); i++) {
            FieldDefinition d =
                    new FieldDefinition(definitionIds.get(i), numbers.get(i), types.get(i), descriptions.get(i));
            switch (definitionKinds.get(i)) {
                case "INFO" -> info.add(d);
                case "FORMAT" -> format.add(d);
                default -> filter.add(d);
            }
        }
        List<String> contigNames = Sql.strings(rs, "contig_name");
        List<Long> contigLengths = nullableLongs(rs, "contig_length");
        List<Long> contigRecords = nullableLongs(rs, "contig_records");
        List<Contig> contigs = new ArrayList<>(contigNames.size());
        for (int i = 0; i < contigNames.size(); i++) {
            contigs.add(new Contig(contigNames.get(i), contigLengths.get(i), contigRecords.get(i)));
        }
        Long parquetRows = Sql.nullableLong(rs, "parquet_rows");
        ParquetSchema parquet = null;
        if (parquetRows != null) {
            List<String> paths = Sql.strings(rs, "parquet_column_path");
            List<String> physical = Sql.strings(rs, "parquet_column_physical_type");
            List<String> logical = Sql.strings(rs, "parquet_column_logical_type");
            List<String> repetition = Sql.strings(rs, "parquet_column_repetition");
            List<ParquetColumn> columns = new ArrayList<>(paths.size());
            for (int i = 0; i < paths.size(); i++) {
                columns.add(new ParquetColumn(paths.get(i), physical.get(i), logical.get(i), repetition.get(i)));
            }
            long groups = rs.getLong("parquet_row_groups");
            parquet = new ParquetSchema(parquetRows, (int) groups, columns, rs.getString("parquet_created_by"));
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> aliasNames = Sql.strings(rs, "alias_alias");
        List<String> aliasContigs = Sql.strings(rs, "alias_contig");
        for (int i = 0; i < aliasNames.size(); i++) {
            aliases.put(aliasNames.get(i), aliasContigs.get(i));
        }
        ArtifactMetadata metadata = new ArtifactMetadata(
                rs.getString("file_format"),
                Sql.strings(rs, "sample_name"),
                contigs,
                info,
                format,
                filter,
                rs.getLong("record_count"),
                rs.getString("reference_hint"),
                parquet);
        String qcKey = rs.getString("qc_key");
        QcMetrics qc = qcKey == null
                ? null
                : new QcMetrics(
                        rs.getString("qc_file_name"),
                        rs.getString("qc_media_type"),
                        rs.getLong("qc_size"),
                        rs.getString("qc_sha256"),
                        Sql.instant(rs, "qc_uploaded_at"));
        String repository = rs.getString("repository_name");
        Artifact a = new Artifact(
                rs.getLong("id"),
                rs.getLong("project_id"),
                Sql.nullableLong(rs, "participant_id"),
                rs.getString("file_name"),
                ArtifactKind.valueOf(rs.getString("kind")),
                Compression.valueOf(rs.getString("compression")),
                IndexType.valueOf(rs.getString("index_type")),
                new Assembly(
                        ReferenceAssembly.valueOf(rs.getString("assembly_reference")), rs.getString("assembly_name")),
                aliases,
                rs.getString("upload_sha256"),
                rs.getLong("upload_size"),
                rs.getString("stored_sha256"),
                rs.getString("stored_md5"),
                rs.getLong("stored_size"),
                repository == null
                        ? null
                        : new RepositoryRef(RepositoryName.valueOf(repository), rs.getString("repository_id")),
                qc,
                metadata,
                ArtifactState.valueOf(rs.getString("state")),
                rs.getLong("upload_id"),
                rs.getString("created_by"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "modified_at"),
                rs.getLong("version"));
        return new ArtifactRow(a, rs.getString("data_key"), rs.getString("index_key"), qcKey);
    }

    /** A {@code bigint[]} column whose elements may be {@code NULL}. */
    private static List<Long> nullableLongs(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<Long> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(v == null ? null : ((Number) v).longValue());
        }
        return out;
    }
}
