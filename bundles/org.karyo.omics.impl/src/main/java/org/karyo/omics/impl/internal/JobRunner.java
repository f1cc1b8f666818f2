package org.karyo.omics.impl.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.Contig;
import org.karyo.omics.api.FieldDefinition;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.JobState;
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
 * Runs validation jobs on a small executor of its own: completes the multipart upload, reads the staged object once
 * through {@link Ingest#run} while the stored object is written through a bounded {@link Pipe}, writes the index,
 * then inserts the artifact row in one write of the module's {@link Writes}. A rejected file leaves no object (staged
 * or final) and no artifact row; a failure that is not the file's leaves the staged object for a retry.
 *
 * <p>Jobs are recorded in the database before they are queued, so a platform that stops (or is killed) in the middle
 * loses none: {@link #recover()} requeues them when the component starts, or marks them failed after too many
 * attempts.
 *
 * <p>Immediate on purpose: the component owns background work. Activated at start, it requeues the validation jobs a
 * stopped platform left behind without waiting for a first caller, and it is not deactivated (interrupting a job)
 * whenever its last consumer lets it go, as a delayed component would be.
 */
@Component(service = JobRunner.class, immediate = true)
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final String JOB = "job";
    private static final int PIPE_CHUNKS = 16;
    private static final int PIPE_CHUNK = 64 * 1024;

    private final OmicsStore omics;
    private final Sql sql;
    private final Writes writes;
    private final ObjectStore store;
    private final Settings settings;
    private final ExecutorService jobs;
    private final ExecutorService writers;
    private final Object idle = new Object();
    private int inFlight;
    private volatile boolean closing;

    /** Starts the executors and requeues the jobs a previous run left behind. */
    @Activate
    public JobRunner(@Reference OmicsStore omics) {
        this.omics = omics;
        this.sql = omics.sql();
        this.writes = omics.writes();
        this.store = omics.objects();
        this.settings = omics.settings();
        this.jobs = Executors.newFixedThreadPool(settings.jobThreads(), threads("karyo-omics-job-"));
        this.writers = Executors.newCachedThreadPool(threads("karyo-omics-store-"));
        recover();
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

    /** Queues a job (after the unit of work that recorded it committed). */
    void submit(long jobId) {
        if (closing) {
            return; // recovered at the next activation
        }
        synchronized (idle) {
            inFlight++;
        }
        try {
            jobs.execute(() -> {
                try {
                    run(jobId);
                } finally {
                    done();
                }
            });
        } catch (RuntimeException e) {
            done();
            LOG.debug("Job {} not queued: the executor is shutting down", jobId);
        }
    }

    private void done() {
        synchronized (idle) {
            inFlight--;
            idle.notifyAll();
        }
    }

    /** Waits until no job is queued or running (tests), at most {@code timeout}; returns whether it is so. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Stops taking jobs; a job in the middle is interrupted and left {@code VALIDATING}, for {@link #recover()}. */
    @Deactivate
    void shutdown() {
        closing = true;
        jobs.shutdownNow();
        writers.shutdownNow();
        try {
            if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Omics validation jobs did not stop within 10 s; they are requeued at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Requeues the jobs a stopped platform left behind: {@code RECEIVED} ones, and {@code VALIDATING} ones (the
     * platform stopped during validation) unless they already started {@code job.max.attempts} times, which then
     * fail (a file that brings the platform down must not do so forever).
     */
    void recover() {
        List<Long> queued = writes.write(JOB, tx -> {
            List<Long> pending = tx.sql()
                    .list(
                            OmicsReads.JOBS
                                    .in("j.state", List.of(JobState.RECEIVED, JobState.VALIDATING))
                                    .orderBy("j.id"),
                            rs -> rs.getLong("id"));
            List<Long> ids = new ArrayList<>();
            for (long id : pending) {
                JobEntity j = tx.lock(JobEntity.class, id).orElse(null);
                if (j == null) {
                    continue;
                }
                if (j.state() == JobState.VALIDATING && j.attempts() >= settings.maxJobAttempts()) {
                    j.failed(
                            "validation was interrupted " + j.attempts()
                                    + " times (the platform stopped); complete the upload again to retry",
                            omics.now());
                    tx.audit(
                            Caller.SYSTEM,
                            AuditEvent.failure("omics.job.fail", JOB, j.id())
                                    .with("upload_id", j.uploadId())
                                    .with("attempts", j.attempts()));
                    continue;
                }
                if (j.state() == JobState.VALIDATING) {
                    j.requeue();
                    tx.audit(
                            Caller.SYSTEM,
                            AuditEvent.success("omics.job.requeue", JOB, j.id())
                                    .with("upload_id", j.uploadId())
                                    .with("attempts", j.attempts()));
                }
                ids.add(j.id());
            }
            return ids;
        });
        if (!queued.isEmpty()) {
            LOG.info("Requeued {} omics validation job(s) left by a previous run: {}", queued.size(), queued);
        }
        queued.forEach(this::submit);
    }

    // ---- one job ----------------------------------------------------------------------------------------------

    /** What a job needs to know of its upload, read when it starts. */
    private record Claim(
            long jobId,
            long uploadId,
            long projectId,
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

    void run(long jobId) {
        Claim claim;
        try {
            claim = claim(jobId);
        } catch (RuntimeException e) {
            LOG.warn("Omics job {} could not start; it is retried at the next activation", jobId, e);
            return;
        }
        if (claim == null) {
            return;
        }
        LOG.debug("Validating upload {} (job {})", claim.uploadId(), jobId);
        List<String> written = new ArrayList<>();
        try {
            StoredFile stored = validate(claim, written);
            commitAvailable(claim, stored);
            LOG.info(
                    "Upload {} validated: artifact {} ({} bytes stored)",
                    claim.uploadId(),
                    stored.artifactId(),
                    stored.storedSize());
        } catch (Rejection r) {
            deleteQuietly(written);
            commitRejected(claim, r);
            LOG.info("Upload {} rejected at {} (job {})", claim.uploadId(), r.where, jobId);
        } catch (Throwable t) {
            deleteQuietly(written);
            if (closing || Thread.currentThread().isInterrupted()) {
                LOG.info("Omics job {} interrupted by shutdown; it is requeued at the next activation", jobId);
                return;
            }
            LOG.warn("Omics job {} failed for a reason that is not the file's", jobId, t);
            try {
                commitFailed(claim, t);
            } catch (RuntimeException e) {
                LOG.warn("Omics job {} could not be marked failed; it is retried at the next activation", jobId, e);
            }
        }
    }

    private Claim claim(long jobId) {
        return writes.write(JOB, tx -> {
            JobEntity j = tx.lock(JobEntity.class, jobId).orElse(null);
            if (j == null || j.state() != JobState.RECEIVED) {
                return null;
            }
            UploadEntity u = tx.em().find(UploadEntity.class, j.uploadId());
            j.start(omics.now());
            return new Claim(
                    jobId,
                    u.id(),
                    u.projectId(),
                    u.kind(),
                    u.size(),
                    u.sha256(),
                    u.indexDeclared() ? u.index().size() : 0,
                    u.indexDeclared(),
                    u.indexDeclared() ? u.index().type() : null,
                    u.multipart(),
                    u.partSize(),
                    u.partCount());
        });
    }

    private StoredFile validate(Claim c, List<String> written) throws Rejection, IOException {
        String staged = Keys.uploadData(c.uploadId());
        ObjectInfo stagedInfo = store.stat(staged).orElse(null);
        if (stagedInfo == null) {
            stagedInfo = completeMultipart(c);
        }
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
        try (InputStream in = new BufferedInputStream(store.get(staged), 1 << 16)) {
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
            JobEntity j = tx.lock(JobEntity.class, c.jobId()).orElseThrow();
            UploadEntity u = tx.lock(UploadEntity.class, c.uploadId()).orElseThrow();
            Instant now = omics.now();
            if (j.state() != JobState.VALIDATING || u.state(now) != UploadState.COMPLETING) {
                throw new IllegalStateException("job " + c.jobId() + " changed while it was validating");
            }
            tx.persist(new ArtifactEntity(stored, u, now));
            j.available(stored.artifactId(), now);
            u.state(UploadState.COMPLETED);
            tx.audit(
                    Caller.SYSTEM,
                    AuditEvent.success("omics.artifact.create", "artifact", stored.artifactId())
                            .with("project_id", u.projectId())
                            .with("upload_id", u.id())
                            .with("job_id", j.id())
                            .with("uploaded_by", u.createdBy()));
            tx.afterCommit(() -> deleteQuietly(List.of(Keys.uploadData(c.uploadId()), Keys.uploadIndex(c.uploadId()))));
        });
    }

    private void commitRejected(Claim c, Rejection r) {
        try {
            writes.run(JOB, tx -> {
                JobEntity j = tx.lock(JobEntity.class, c.jobId()).orElseThrow();
                UploadEntity u = tx.lock(UploadEntity.class, c.uploadId()).orElseThrow();
                j.rejected(r.where, r.getMessage(), omics.now());
                u.state(UploadState.REJECTED);
                tx.audit(
                        Caller.SYSTEM,
                        AuditEvent.failure("omics.upload.validate", "upload", u.id())
                                .with("project_id", u.projectId())
                                .with("job_id", j.id())
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

    private void commitFailed(Claim c, Throwable cause) {
        String message = cause instanceof KaryoException k && k.kind() == Kind.UNAVAILABLE
                ? "object storage is unavailable; complete the upload again to retry"
                : "validation could not finish for a reason that is not the file's; complete the upload again to retry";
        writes.run(JOB, tx -> {
            JobEntity j = tx.lock(JobEntity.class, c.jobId()).orElseThrow();
            j.failed(message, omics.now());
            tx.audit(
                    Caller.SYSTEM,
                    AuditEvent.failure("omics.job.fail", JOB, j.id())
                            .with("upload_id", c.uploadId())
                            .with("attempts", j.attempts()));
        });
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
}
