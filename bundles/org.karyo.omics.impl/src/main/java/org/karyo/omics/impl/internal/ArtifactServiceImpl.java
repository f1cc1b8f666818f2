package org.karyo.omics.impl.internal;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.ArtifactService;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.QcMetrics;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ArtifactService} by the house rule: reads are {@link OmicsReads} queries, writes go through the module's
 * {@link Writes} with the artifact row locked at the version the client expects. Objects are written before the row
 * that references them commits and deleted after the row's deletion committed.
 */
@Component(service = ArtifactService.class)
public final class ArtifactServiceImpl implements ArtifactService {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactServiceImpl.class);
    private static final String ARTIFACT = "artifact";
    private static final Set<String> QC_TYPES = Set.of("text/csv", "application/json");

    private final OmicsStore omics;
    private final Sql sql;
    private final Writes writes;
    private final ObjectStore store;
    private final Settings settings;
    private final ArtifactDataServiceImpl data;

    @Activate
    public ArtifactServiceImpl(@Reference OmicsStore omics, @Reference ArtifactDataServiceImpl data) {
        this.omics = Objects.requireNonNull(omics, "omics");
        this.sql = omics.sql();
        this.writes = omics.writes();
        this.store = omics.objects();
        this.settings = omics.settings();
        this.data = Objects.requireNonNull(data, "data");
    }

    @Override
    public Page<Artifact> list(Caller caller, ArtifactQuery query) {
        Objects.requireNonNull(query, "query");
        Select q = OmicsReads.ARTIFACTS
                .page(query.page(), settings.maxPageSize(), OmicsReads.ARTIFACT_ORDER, "a.id")
                .scope("a.project_id", omics.projects().projects(caller, OmicsRights.READ))
                .in("a.project_id", query.projects())
                .in("a.kind", query.kinds())
                .eq("a.participant_id", query.participant());
        if (query.sample() != null) {
            q = q.where(
                    "EXISTS (SELECT 1 FROM " + OmicsReads.SCHEMA
                            + ".artifact_sample s WHERE s.artifact_id = a.id AND s.name = ?)",
                    query.sample());
        }
        Page<OmicsReads.ArtifactRow> rows = sql.pageByIds(q, "a.id", OmicsReads.ARTIFACTS, OmicsReads::artifact);
        return new Page<>(
                rows.count(),
                rows.limit(),
                rows.offset(),
                rows.results().stream().map(OmicsReads.ArtifactRow::artifact).toList());
    }

    @Override
    public Artifact get(Caller caller, long artifactId) {
        return visible(omics, caller, artifactId).artifact();
    }

    /** The artifact, when the caller holds {@code omics.read} on its project; else NOT_FOUND. */
    static OmicsReads.ArtifactRow visible(OmicsStore omics, Caller caller, long artifactId) {
        return omics.sql()
                .one(OmicsReads.ARTIFACTS.eq("a.id", artifactId), OmicsReads::artifact)
                .filter(a -> omics.holds(caller, a.projectId(), OmicsRights.READ))
                .orElseThrow(() -> KaryoException.notFound(ARTIFACT, artifactId));
    }

    /** The visible artifact, when the caller also holds {@code right} on its project; else FORBIDDEN. */
    private OmicsReads.ArtifactRow requireRight(Caller caller, long artifactId, String right, String what) {
        OmicsReads.ArtifactRow a = visible(omics, caller, artifactId);
        if (!omics.holds(caller, a.projectId(), right)) {
            throw KaryoException.forbidden(
                    what + " artifact " + artifactId + " needs the right " + right + " on project " + a.projectId());
        }
        return a;
    }

    @Override
    public Artifact update(Caller caller, long artifactId, ArtifactPatch patch, OptionalLong expectedVersion) {
        UploadRules.check(patch);
        OmicsReads.ArtifactRow current = requireRight(caller, artifactId, OmicsRights.UPLOAD, "Changing");
        patch.participant().flatMap(x -> x).ifPresent(p -> omics.requireParticipant(current.projectId(), p));
        return writes.write(ARTIFACT, tx -> {
            ArtifactEntity a = tx.lock(ArtifactEntity.class, artifactId, expectedVersion);
            List<String> changed = new ArrayList<>();
            patch.assembly().ifPresent(x -> {
                a.assembly(UploadRules.normalise(x));
                changed.add("assembly");
            });
            patch.repository().ifPresent(x -> {
                a.repository(x.orElse(null));
                changed.add("repository");
            });
            patch.participant().ifPresent(x -> {
                a.participant(x.orElse(null));
                changed.add("participant");
            });
            if (!changed.isEmpty()) {
                a.touch(omics.now());
            }
            tx.audit(
                    caller,
                    AuditEvent.success("omics.artifact.update", ARTIFACT, artifactId)
                            .with("fields", String.join(",", changed)));
            return read(tx.sql(), artifactId);
        });
    }

    @Override
    public void delete(Caller caller, long artifactId, OptionalLong expectedVersion) {
        OmicsReads.ArtifactRow current = requireRight(caller, artifactId, OmicsRights.MANAGE, "Deleting");
        writes.run(ARTIFACT, tx -> {
            ArtifactEntity a = tx.lock(ArtifactEntity.class, artifactId, expectedVersion);
            tx.remove(a);
            tx.audit(
                    caller,
                    AuditEvent.success("omics.artifact.delete", ARTIFACT, artifactId)
                            .with("project_id", current.projectId()));
            tx.afterCommit(() -> {
                data.evict(artifactId);
                deleteObjects(Keys.artifactPrefix(artifactId));
            });
        });
        LOG.debug("Artifact {} deleted by {}", artifactId, caller.id());
    }

    @Override
    public Artifact putQcMetrics(
            Caller caller, long artifactId, String fileName, String mediaType, InputStream content, long length) {
        String type = mediaType == null
                ? ""
                : mediaType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!QC_TYPES.contains(type)) {
            throw KaryoException.invalid("Content-Type", "must be text/csv or application/json");
        }
        String name =
                fileName == null || fileName.isBlank() ? (type.equals("text/csv") ? "qc.csv" : "qc.json") : fileName;
        if (name.length() > UploadRules.FILE_NAME_MAX || name.contains("/") || name.contains("\\")) {
            throw KaryoException.invalid("file_name", "must be a plain file name of at most 255 characters");
        }
        if (length > settings.maxQcBytes()) {
            throw new KaryoException(
                    Kind.TOO_LARGE,
                    "qc-too-large",
                    "the largest QC metrics file is " + settings.maxQcBytes() + " bytes",
                    null,
                    Map.of("max_bytes", settings.maxQcBytes()),
                    null);
        }
        if (length == 0) {
            throw KaryoException.invalid("Content-Length", "the QC metrics file is empty");
        }
        UploadRules.checkLength(length, length < 0 ? 1 : length, "the QC metrics file");
        requireRight(caller, artifactId, OmicsRights.UPLOAD, "Attaching QC metrics to");
        String key = Keys.artifactPrefix(artifactId) + "qc-" + UUID.randomUUID()
                + (type.equals("text/csv") ? ".csv" : ".json");
        // the store reads exactly length bytes, and refuses a body that ends sooner
        ObjectInfo info = store.put(key, content, length, PutOptions.contentType(type));
        try {
            return writes.write(ARTIFACT, tx -> {
                ArtifactEntity a = tx.lock(ArtifactEntity.class, artifactId)
                        .orElseThrow(() -> KaryoException.notFound(ARTIFACT, artifactId));
                String old = a.qcKey();
                Instant now = omics.now();
                a.qc(key, name, type, info.size(), info.sha256(), now);
                a.touch(now);
                tx.audit(
                        caller,
                        AuditEvent.success("omics.artifact.qc", ARTIFACT, artifactId)
                                .with("size", info.size()));
                if (old != null) {
                    tx.afterCommit(() -> omics.deleteQuietly(old));
                }
                return read(tx.sql(), artifactId);
            });
        } catch (RuntimeException e) {
            omics.deleteQuietly(key);
            throw e;
        }
    }

    @Override
    public Download qcMetrics(Caller caller, long artifactId) {
        OmicsReads.ArtifactRow a = visible(omics, caller, artifactId);
        QcMetrics qc = a.artifact().qcMetrics();
        if (a.qcKey() == null || qc == null) {
            throw new KaryoException(
                    Kind.NOT_FOUND,
                    "not-found",
                    "artifact " + artifactId + " has no QC metrics file",
                    null,
                    null,
                    null);
        }
        Instant now = omics.now();
        URI url = store.presignGet(a.qcKey(), settings.downloadExpiry(), qc.fileName());
        omics.audit(caller, AuditEvent.success("omics.artifact.qc_download", ARTIFACT, artifactId));
        return new Download(url, qc.fileName(), qc.size(), qc.sha256(), null, now.plus(settings.downloadExpiry()));
    }

    private static Artifact read(Sql sql, long artifactId) {
        return sql.one(OmicsReads.ARTIFACTS.eq("a.id", artifactId), OmicsReads::artifact)
                .orElseThrow()
                .artifact();
    }

    private void deleteObjects(String prefix) {
        try {
            String after = null;
            while (true) {
                List<ObjectInfo> page = store.list(prefix, after, 1000);
                for (ObjectInfo o : page) {
                    omics.deleteQuietly(o.key());
                }
                if (page.size() < 1000) {
                    return;
                }
                after = page.get(page.size() - 1).key();
            }
        } catch (RuntimeException e) {
            LOG.debug("Listing {} for deletion failed; the storage sweeper removes what is left", prefix, e);
        }
    }
}
