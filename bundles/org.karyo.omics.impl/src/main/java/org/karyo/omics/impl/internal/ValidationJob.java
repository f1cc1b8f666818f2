package org.karyo.omics.impl.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.JobCancelledException;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.FieldDefinition;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.ParquetColumn;
import org.karyo.omics.api.ParquetSchema;
import org.karyo.omics.api.UploadState;
import org.karyo.omics.hts.ContigStat;
import org.karyo.omics.hts.FileKind;
import org.karyo.omics.hts.HeaderDefinition;
import org.karyo.omics.hts.Ingest;
import org.karyo.omics.hts.IngestException;
import org.karyo.omics.hts.IngestResult;
import org.karyo.omics.hts.Metadata;
import org.karyo.omics.hts.ParquetInfo;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform job type {@value Job#TYPE}: validates one completed upload. It completes the multipart upload (a
 * checkpoint {@code stage=completed} records that it happened), reads the staged object once through
 * {@link Ingest#run} while the stored object is written through a bounded {@link Pipe}, reporting the bytes read out
 * of the file's size as progress, writes the index, then inserts the artifact row in one write of the module's
 * {@link Writes}. A rejected file leaves no object (staged or final) and no artifact row, marks the upload
 * {@code REJECTED} and fails the job with {@code "<where>: <message>"}; a failure that is not the file's leaves the
 * staged object for a retry (complete the upload again).
 *
 * <p>The job facility stores, claims, cancels and resumes the jobs: a job interrupted by a stop of its node (even
 * {@code kill -9}) runs again, up to {@code job.max.attempts} starts. A resumed run finds the upload as the last run
 * left it: already {@code COMPLETED} or {@code REJECTED} (that run's unit of work committed before the node stopped),
 * it ends the same way without reading the file again.
 */
@Component(
        service = {JobHandler.class, ValidationJob.class},
        property = JobHandler.TYPE + "=" + Job.TYPE)
public final class ValidationJob implements JobHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationJob.class);
    private static final String JOB = "job";
    private static final String STAGE = "stage";
    private static final String COMPLETED = "completed";
    static final String UPLOAD_ID = "upload_id";
    static final String ARTIFACT_ID = "artifact_id";
    private static final int PIPE_CHUNKS = 16;
    private static final int PIPE_CHUNK = 64 * 1024;

    private final OmicsStore omics;
    private final Sql sql;
    private final Writes writes;
    private final ObjectStore store;
    private final Settings settings;
    private final ExecutorService writers;

    @Activate
    public ValidationJob(@Reference OmicsStore omics) {
        this.omics = omics;
        this.sql = omics.sql();
        this.writes = omics.writes();
        this.store = omics.objects();
        this.settings = omics.settings();
        this.writers = Executors.newCachedThreadPool(threads("karyo-omics-store-"));
    }

    /** The key of the validation jobs of an upload. */
    static String key(long uploadId) {
        return "upload-" + uploadId;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public int concurrency() {
        return settings.jobThreads();
    }

    @Override
    public int maxAttempts() {
        return settings.maxJobAttempts();
    }

    /** Daemon threads named {@code prefix} and a counter, for the module's executors. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the store writers; a job in the middle sees its context cancelled and is resumed later. */
    @Deactivate
    void shutdown() {
        writers.shutdownNow();
    }

    // ---- one job ----------------------------------------------------------------------------------------------

    /** What a job needs to know of its upload, read when it starts. */
    private record Claim(
            Long jobId,
            long uploadId,
            long projectId,
            UploadState state,
            ArtifactKind kind,
            long size,
            String sha256,
            long indexSize,
            boolean indexDeclared,
            String indexType,
            MultipartUpload multipart,
            long partSize,
            int partCount) {}

    /** The file is wrong: where and why, client-safe. */
    private static final class Rejection extends Exception {
        private static final long serialVersionUID = 1L;
        private final String where;

        Rejection(String where, String message) {
            super(message, null, false, false);
            this.where = where;
        }
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        long uploadId = Long.parseLong(context.payload().get(UPLOAD_ID));
        Claim claim = claim(uploadId);
        if (claim.jobId() == null || claim.jobId().longValue() != context.id()) {
            throw new JobFailedException("upload " + uploadId + " is no longer waiting for this job");
        }
        if (claim.state() == UploadState.COMPLETED) {
            // an earlier start committed the artifact, then its node stopped before the job's end was written
            long artifact = artifactOf(uploadId);
            return Map.of(ARTIFACT_ID, Long.toString(artifact));
        }
        if (claim.state() == UploadState.REJECTED) {
            throw new JobFailedException("file: rejected by an earlier attempt of this job");
        }
        if (claim.state() != UploadState.COMPLETING) {
            throw new JobFailedException(
                    "upload " + uploadId + " is no longer waiting for this job (it is " + claim.state() + ")");
        }
        LOG.debug("Validating upload {} (job {}, attempt {})", uploadId, context.id(), context.attempt());
        List<String> written = new ArrayList<>();
        try {
            StoredFile stored = validate(claim, written, context);
            context.throwIfCancelled();
            commitAvailable(claim, stored);
            LOG.info(
                    "Upload {} validated: artifact {} ({} bytes stored)",
                    uploadId,
                    stored.artifactId(),
                    stored.storedSize());
            return Map.of(ARTIFACT_ID, Long.toString(stored.artifactId()));
        } catch (Rejection r) {
            deleteQuietly(written);
            if (context.cancelled()) {
                // reading was stopped by the cancel request (the stream says so), not by the file
                throw new JobCancelledException(context.id());
            }
            commitRejected(claim, r);
            LOG.info("Upload {} rejected at {} (job {})", uploadId, r.where, context.id());
            throw new JobFailedException(r.where + ": " + r.getMessage());
        } catch (Throwable t) {
            deleteQuietly(written);
            if (context.cancelled() || Thread.currentThread().isInterrupted()) {
                LOG.info("Omics job {} stopped (cancelled, or its node is stopping)", context.id());
                throw t;
            }
            LOG.warn("Omics job {} failed for a reason that is not the file's", context.id(), t);
            throw new JobFailedException(
                    t instanceof KaryoException k && k.kind() == Kind.UNAVAILABLE
                            ? "object storage is unavailable; complete the upload again to retry"
                            : "validation could not finish for a reason that is not the file's; complete the upload"
                                    + " again to retry");
        }
    }

    private Claim claim(long uploadId) throws JobFailedException {
        OmicsReads.UploadRow u = sql.one(OmicsReads.UPLOADS.eq("u.id", uploadId), OmicsReads::upload)
                .orElseThrow(() -> new JobFailedException("upload " + uploadId + " no longer exists"));
        boolean indexed = u.index() != null;
        return new Claim(
                u.jobId(),
                u.id(),
                u.projectId(),
                u.state(omics.now()),
                u.kind(),
                u.size(),
                u.sha256(),
                indexed ? u.index().size() : 0,
                indexed,
                indexed ? u.index().type() : null,
                u.multipart(),
                u.partSize(),
                u.partCount());
    }

    private long artifactOf(long uploadId) throws JobFailedException {
        return sql.one(
                        "SELECT id FROM " + OmicsReads.SCHEMA
                                + ".artifact WHERE upload_id = ? ORDER BY id DESC LIMIT 1",
                        rs -> rs.getLong(1),
                        uploadId)
                .orElseThrow(
                        () -> new JobFailedException("upload " + uploadId + " completed, but its artifact is gone"));
    }

    private StoredFile validate(Claim c, List<String> written, JobContext context) throws Rejection, IOException {
        String staged = Keys.uploadData(c.uploadId());
        ObjectInfo stagedInfo = store.stat(staged).orElse(null);
        if (stagedInfo == null) {
            if (COMPLETED.equals(context.checkpoint().get(STAGE))) {
                throw new Rejection("file", "the completed upload's object is gone; upload again");
            }
            stagedInfo = completeMultipart(c);
            context.checkpoint(Map.of(STAGE, COMPLETED));
        }
        context.throwIfCancelled();
        if (stagedInfo.size() != c.size()) {
            throw new Rejection("file", stagedInfo.size() + " bytes were received but the upload declared " + c.size());
        }
        byte[] suppliedIndex = c.indexDeclared() ? readIndex(c) : null;

        long artifactId = nextArtifactId();
        String dataKey = Keys.artifactData(artifactId, c.kind());
        written.add(dataKey);
        Pipe pipe = new Pipe(PIPE_CHUNKS, PIPE_CHUNK);
        Future<ObjectInfo> put = writers.submit(() -> {
            try (InputStream in = pipe.input()) {
                return store.put(dataKey, in, -1, PutOptions.contentType(Keys.contentType(c.kind())));
            }
        });
        IngestResult r;
        try (InputStream in = new BufferedInputStream(new Counting(store.get(staged), context, c.size()), 1 << 16)) {
            r = Ingest.run(fileKind(c.kind()), in, pipe.output(), suppliedIndex, settings.limits());
            pipe.output().close();
        } catch (IngestException e) {
            pipe.fail(e);
            settle(put);
            throw new Rejection(e.where(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            pipe.fail(e);
            Throwable storeFailure = settle(put);
            if (storeFailure != null) {
                e.addSuppressed(storeFailure);
            }
            throw e;
        }
        ObjectInfo stored = result(put);
        if (stored.size() != r.storedSize()
                || (stored.sha256() != null && !stored.sha256().equals(r.storedSha256()))) {
            throw new IllegalStateException("the stored object of artifact " + artifactId
                    + " differs from what validation wrote (" + stored.size() + " / " + r.storedSize() + " bytes)");
        }
        if (r.uploadSize() != c.size()) {
            throw new Rejection("file", r.uploadSize() + " bytes were read but the upload declared " + c.size());
        }
        if (!r.uploadSha256().equals(c.sha256())) {
            throw new Rejection(
                    "checksum",
                    "the uploaded bytes have SHA-256 " + r.uploadSha256() + ", not the declared " + c.sha256());
        }

        if (c.indexDeclared() && !c.indexType().equalsIgnoreCase(String.valueOf(r.indexType()))) {
            throw new Rejection(
                    "index", "the index sent is a ." + r.indexType() + " index, not the declared " + c.indexType());
        }
        IndexType indexType = IndexType.NONE;
        String indexKey = null;
        if (r.index() != null) {
            indexType = "csi".equalsIgnoreCase(r.indexType()) ? IndexType.CSI : IndexType.TBI;
            indexKey = Keys.artifactIndex(artifactId, c.kind(), indexType);
            written.add(indexKey);
            store.put(indexKey, new ByteArrayInputStream(r.index()), r.index().length, PutOptions.DEFAULT);
        }

        ParquetSchema parquet = null;
        if (c.kind() == ArtifactKind.PARQUET) {
            try {
                ParquetInfo p = ParquetInfo.read(new StoreRangeSource(store, dataKey, stored.size()));
                parquet = new ParquetSchema(
                        p.rows(),
                        p.rowGroups(),
                        p.schema().stream()
                                .map(x ->
                                        new ParquetColumn(x.path(), x.physicalType(), x.logicalType(), x.repetition()))
                                .toList(),
                        p.createdBy());
            } catch (IngestException e) {
                throw new Rejection(e.where(), e.getMessage());
            }
        }
        ArtifactMetadata metadata = metadata(r.metadata(), parquet);
        return new StoredFile(
                artifactId,
                dataKey,
                indexKey,
                indexType,
                r.compressed() ? Compression.BGZF : Compression.NONE,
                r.uploadSha256(),
                r.uploadSize(),
                r.storedSha256(),
                r.storedMd5(),
                r.storedSize(),
                metadata,
                Aliases.of(metadata.contigs().stream().map(Contig::name).toList()));
    }

    private ObjectInfo completeMultipart(Claim c) throws Rejection {
        List<PartInfo> parts;
        try {
            parts = store.listParts(c.multipart());
        } catch (KaryoException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                throw new Rejection("file", "the upload's parts are gone (it expired or was aborted); upload again");
            }
            throw e;
        }
        String problem = PartCheck.problem(parts, c.partCount(), c.partSize(), c.size());
        if (problem != null) {
            throw new Rejection("file", problem);
        }
        return store.completeMultipart(c.multipart(), parts);
    }

    private byte[] readIndex(Claim c) throws IOException, Rejection {
        try (InputStream in = store.get(Keys.uploadIndex(c.uploadId()))) {
            byte[] bytes = in.readNBytes((int) Math.min(c.indexSize() + 1, settings.maxIndexBytes() + 1));
            if (bytes.length != c.indexSize()) {
                throw new Rejection("index", "the index holds " + bytes.length + " bytes, not " + c.indexSize());
            }
            return bytes;
        } catch (KaryoException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                throw new Rejection("index", "the declared index was not received");
            }
            throw e;
        }
    }

    private void commitAvailable(Claim c, StoredFile stored) {
        writes.run(JOB, tx -> {
            UploadEntity u = tx.lock(UploadEntity.class, c.uploadId()).orElseThrow();
            Instant now = omics.now();
            if (u.state(now) != UploadState.COMPLETING || !Objects.equals(u.jobId(), c.jobId())) {
                throw new IllegalStateException("upload " + c.uploadId() + " changed while it was validating");
            }
            tx.persist(new ArtifactEntity(stored, u, now));
            u.state(UploadState.COMPLETED);
            tx.audit(
                    Caller.SYSTEM,
                    AuditEvent.success("omics.artifact.create", "artifact", stored.artifactId())
                            .with("project_id", u.projectId())
                            .with("upload_id", u.id())
                            .with("job_id", c.jobId())
                            .with("uploaded_by", u.createdBy()));
            tx.afterCommit(() -> deleteQuietly(List.of(Keys.uploadData(c.uploadId()), Keys.uploadIndex(c.uploadId()))));
        });
    }

    private void commitRejected(Claim c, Rejection r) {
        try {
            writes.run(JOB, tx -> {
                UploadEntity u = tx.lock(UploadEntity.class, c.uploadId()).orElseThrow();
                u.state(UploadState.REJECTED);
                tx.audit(
                        Caller.SYSTEM,
                        AuditEvent.failure("omics.upload.validate", "upload", u.id())
                                .with("project_id", u.projectId())
                                .with("job_id", c.jobId())
                                .with("where", r.where));
            });
        } finally {
            // a rejected file leaves nothing behind, whether or not the state could be recorded
            MultipartUpload mpu = c.multipart();
            try {
                if (mpu != null) {
                    store.abortMultipart(mpu);
                }
            } catch (RuntimeException e) {
                LOG.debug("Aborting the multipart upload of upload {} failed", c.uploadId(), e);
            }
            deleteQuietly(List.of(Keys.uploadData(c.uploadId()), Keys.uploadIndex(c.uploadId())));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static FileKind fileKind(ArtifactKind kind) {
        return switch (kind) {
            case VCF -> FileKind.VCF;
            case BED -> FileKind.BED;
            case BCF -> FileKind.BCF;
            case PARQUET -> FileKind.PARQUET;
        };
    }

    static ArtifactMetadata metadata(Metadata m, ParquetSchema parquet) {
        List<FieldDefinition> info = new ArrayList<>();
        List<FieldDefinition> format = new ArrayList<>();
        List<FieldDefinition> filter = new ArrayList<>();
        for (HeaderDefinition d : m.definitions() == null ? List.<HeaderDefinition>of() : m.definitions()) {
            FieldDefinition f = new FieldDefinition(d.id(), d.number(), d.type(), d.description());
            switch (d.kind()) {
                case "INFO" -> info.add(f);
                case "FORMAT" -> format.add(f);
                case "FILTER" -> filter.add(f);
                default -> {
                    // other header lines are not kept
                }
            }
        }
        List<Contig> contigs = new ArrayList<>();
        for (ContigStat s : m.contigs() == null ? List.<ContigStat>of() : m.contigs()) {
            contigs.add(new Contig(s.name(), s.length(), s.records()));
        }
        long records = parquet != null ? parquet.rows() : m.records();
        return new ArtifactMetadata(
                m.fileFormat() == null ? (parquet != null ? "PARQUET" : "unknown") : m.fileFormat(),
                m.samples() == null ? List.of() : m.samples(),
                contigs,
                info,
                format,
                filter,
                records,
                m.referenceHint(),
                parquet);
    }

    /** Draws the next artifact id, before the objects are written under it (a sequence: never given twice). */
    private long nextArtifactId() {
        return sql.one("SELECT nextval('" + OmicsReads.SCHEMA + ".artifact_id_seq')", rs -> rs.getLong(1))
                .orElseThrow();
    }

    /** Waits for the store side of the pipe to end; returns its failure, if any. */
    private static Throwable settle(Future<ObjectInfo> put) {
        try {
            put.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static ObjectInfo result(Future<ObjectInfo> put) throws IOException {
        try {
            return put.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("storing the validated file failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing the validated file", e);
        }
    }

    private void deleteQuietly(List<String> keys) {
        for (String key : keys) {
            try {
                store.delete(key);
            } catch (RuntimeException e) {
                // an object no row references is removed by the storage sweeper after its grace period
                LOG.debug("Deleting object {} failed; the storage sweeper removes it later", key, e);
            }
        }
    }

    /**
     * The staged object as validation reads it: counts the bytes for the job's progress, and ends the read with an
     * {@link IOException} once the job is cancelled (or its node stops), so that a 200 GB file stops within a block.
     */
    private static final class Counting extends FilterInputStream {
        private final JobContext context;
        private final long total;
        private long read;

        Counting(InputStream in, JobContext context, long total) {
            super(in);
            this.context = context;
            this.total = total;
        }

        private void count(long n) throws IOException {
            if (n > 0) {
                read += n;
                context.progress(Math.min(read, total), total);
            }
            if (context.cancelled()) {
                throw new InterruptedIOException("job " + context.id() + " was cancelled");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }
    }
}
