package org.karyo.fhir.impl.internal.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.EnvOverrides;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.api.FhirRights;
import org.karyo.fhir.api.FhirStats;
import org.karyo.fhir.api.FhirVersionConverter;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.ImportUpload;
import org.karyo.fhir.impl.internal.store.SetWriter;
import org.karyo.fhir.impl.internal.store.StoreInternals;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FhirImports} and {@link FhirMaintenance}: checks the caller's right and the request, and queues the jobs that
 * {@link ImportJob} and {@link ReindexJob} run (components of their own, as job handlers must be); statistics are read
 * at once.
 */
@Component(
        service = {FhirImports.class, FhirMaintenance.class},
        configurationPid = ImportSettings.PID)
public final class FhirBulkService implements FhirImports, FhirMaintenance {
    /** How long a presigned upload URL works. */
    static final Duration UPLOAD_EXPIRY = Duration.ofHours(1);
    /** The most bytes the list of an import's files may take in its job's payload. */
    static final int MAX_FILES_CHARS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(FhirBulkService.class);
    private static final String S = SetWriter.S;

    private final JobService jobs;
    private final StoreInternals store;
    private final ObjectStore objects;
    private final ImportSettings settings;
    private final List<FhirVersionConverter> converters = new CopyOnWriteArrayList<>();

    @Activate
    public FhirBulkService(
            @Reference JobService jobs,
            @Reference StoreInternals store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects,
            Map<String, Object> properties) {
        this(jobs, store, objects, ImportSettings.of(properties, EnvOverrides.system()));
        LOG.info(
                "FHIR bulk import ready (import folder {}, stop on error {}, {} parse threads)",
                settings.folder() == null ? "none" : settings.folder(),
                settings.stopOnError(),
                settings.threads());
    }

    FhirBulkService(JobService jobs, StoreInternals store, ObjectStore objects, ImportSettings settings) {
        this.jobs = jobs;
        this.store = store;
        this.objects = objects;
        this.settings = settings;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConverter(FhirVersionConverter converter) {
        converters.add(converter);
    }

    void removeConverter(FhirVersionConverter converter) {
        converters.remove(converter);
    }

    @Override
    public ImportUpload upload(Caller caller, String fileName) {
        admin(caller, "Uploading import files");
        String name = fileName == null ? "" : fileName.strip();
        if (name.contains("/")) {
            throw FhirException.badRequest("file", "An import file's name has no folder");
        }
        ImportFile.typeOf(name);
        String key = ImportFile.STORE_PREFIX + UUID.randomUUID() + "/" + name;
        ObjectKeys.check("file", key);
        URI url = objects.presignPut(key, UPLOAD_EXPIRY);
        return new ImportUpload(key, url, Instant.now().plus(UPLOAD_EXPIRY));
    }

    @Override
    public long start(Caller caller, ImportRequest request) {
        admin(caller, "Importing");
        String version = request.fhirVersion();
        if (!version.equals(R5) && !version.equals(R4)) {
            throw FhirException.badRequest(
                    "fhirVersion", "An import reads FHIR " + R5 + " or " + R4 + ", not " + version);
        }
        if (!version.equals(R5) && ImportJob.converter(converters, version) == null) {
            throw FhirException.badRequest(
                    "fhirVersion",
                    "No converter from FHIR " + version + " to R5 is installed (install the feature karyo-fhir-r4)");
        }
        Set<String> files = new LinkedHashSet<>();
        for (String key : request.storeKeys()) {
            ImportFile f = ImportFile.ofKey(key == null ? null : key.strip());
            if (objects.stat(f.location()).isEmpty()) {
                throw FhirException.badRequest("storeKey", "No object " + f.location() + " in the object store");
            }
            files.add(f.encode());
        }
        for (String path : request.files()) {
            if (path == null || path.isBlank()) {
                throw FhirException.badRequest("file", "A file's path is empty");
            }
            for (ImportFile f : ImportFile.filesIn(settings.folder(), path.strip())) {
                files.add(f.encode());
            }
        }
        if (files.isEmpty()) {
            throw FhirException.badRequest("input", "An import names at least one file");
        }
        String list = String.join("\n", files);
        if (list.length() > MAX_FILES_CHARS) {
            throw FhirException.badRequest("input", "Too many files for one import: split it");
        }
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put(ImportJob.FILES, list);
        payload.put(ImportJob.FHIR_VERSION, version);
        Job job = jobs.submit(caller, NewJob.of(JOB_TYPE).withPayload(payload).withProgress("lines", null));
        LOG.info(
                "FHIR import of {} file(s) (FHIR {}) queued as job {} by {}",
                files.size(),
                version,
                job.id(),
                caller.id());
        return job.id();
    }

    @Override
    public List<String> report(Caller caller, long jobId) {
        admin(caller, "Reading an import's report");
        Job job = jobs.find(jobId)
                .filter(j -> j.type().equals(JOB_TYPE))
                .orElseThrow(() -> FhirException.of(
                        404,
                        org.hl7.fhir.r5.model.OperationOutcome.IssueType.NOTFOUND,
                        null,
                        "No import job " + jobId));
        String key = job.result().get("report.key");
        if (key == null) {
            key = ImportRun.REPORT_PREFIX + "job-" + jobId + ".tsv";
            if (objects.stat(key).isEmpty()) {
                return List.of();
            }
        }
        List<String> out = new ArrayList<>();
        try (InputStream in = objects.get(key);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw FhirException.of(
                    404,
                    org.hl7.fhir.r5.model.OperationOutcome.IssueType.NOTFOUND,
                    null,
                    "The report of import job " + jobId + " cannot be read");
        }
        return out;
    }

    @Override
    public long reindex(Caller caller) {
        admin(caller, "Reindexing");
        Job job = jobs.submit(caller, NewJob.of(REINDEX_JOB_TYPE).withProgress("resources", null));
        LOG.info("FHIR reindex queued as job {} by {}", job.id(), caller.id());
        return job.id();
    }

    @Override
    public FhirStats stats(Caller caller) {
        admin(caller, "Reading the store's statistics");
        List<FhirStats.TypeStats> types = store.sql()
                .list(
                        "SELECT rtype, count(*) FILTER (WHERE NOT deleted), count(*) FILTER (WHERE deleted),"
                                + " coalesce(sum(pg_column_size(body)) FILTER (WHERE NOT deleted), 0) FROM " + S
                                + ".resource GROUP BY rtype ORDER BY rtype",
                        rs -> new FhirStats.TypeStats(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        List<FhirStats.TableStats> tables = store.sql()
                .list(
                        "SELECT c.relname, greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid) FROM"
                                + " pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND"
                                + " c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'flyway%' ORDER BY c.relname",
                        rs -> new FhirStats.TableStats(rs.getString(1), rs.getLong(2), rs.getLong(3)), S);
        return new FhirStats(types, tables);
    }

    private static void admin(Caller caller, String what) {
        if (!caller.hasRight(FhirRights.ADMIN) && !caller.hasRight(AccessRights.FULL_ADMIN)) {
            throw FhirException.forbidden(what + " needs the right " + FhirRights.ADMIN);
        }
    }
}
