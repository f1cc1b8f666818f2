package org.karyo.fhir.impl.internal.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirMaintenance;
import org.karyo.fhir.api.FhirVersionConverter;
import org.karyo.fhir.api.SearchRequest;
import org.karyo.fhir.impl.internal.store.FakePerimeters;
import org.karyo.fhir.impl.internal.store.FhirConfig;
import org.karyo.fhir.impl.internal.store.FhirStoreImpl;
import org.karyo.fhir.impl.internal.store.SearchParametersImpl;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.impl.internal.JobsComponent;
import org.karyo.jobs.impl.internal.PlatformJobs;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestConfigs;
import org.karyo.testing.TestDatabase;

/**
 * The FHIR store with its bulk import and reindex on a real PostgreSQL (a fresh database), the real job facility
 * (one node) and the filesystem object store in a temporary folder, plus an import folder.
 */
final class BulkTestEnv implements AutoCloseable {
    static final String BASE = "http://localhost/fhir/r5";
    static final Caller ADMIN = caller("admin", Set.of("fhir.admin", "fhir.write", "accesses.full_admin"), Map.of());

    final TestDatabase db;
    final RecordingAuditTrail audit;
    final SearchParametersImpl params;
    final FhirStoreImpl store;
    final ObjectStore objects;
    final PlatformJobs platform;
    final FhirBulkService service;
    final ImportJob importJob;
    final Path folder;
    final Path storeRoot;
    final FakePerimeters perimeters;

    BulkTestEnv(boolean stopOnError) {
        try {
            folder = Files.createTempDirectory("karyo-fhir-import");
            storeRoot = Files.createTempDirectory("karyo-fhir-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = TestDatabase.create();
        db.migrate("fhir", FhirStoreImpl.class, "db/fhir");
        db.migrate("jobs", JobsComponent.class, "db/jobs");
        audit = new RecordingAuditTrail(db.unitOfWork());
        SchemaReady schema = schema("fhir", "karyo_fhir");
        params = new SearchParametersImpl(db.dataSource(), schema, db.unitOfWork(), audit);
        perimeters = new FakePerimeters(1000);
        store = new FhirStoreImpl(
                db.dataSource(),
                schema,
                db.unitOfWork(),
                audit,
                perimeters.service(),
                params,
                TestConfigs.of(FhirConfig.class, Map.of("read_audit_flush_ms", 100)));
        objects = new FsObjectStore(
                TestConfigs.of(FsObjectStore.Config.class, Map.of("root", storeRoot.toString())),
                TestConfigs.bundleContext(Map.of()));
        platform = new PlatformJobs(db.dataSource(), db.unitOfWork(), audit, "fhir-test");
        ImportSettings settings = new ImportSettings(folder, stopOnError, 2, true);
        importJob = new ImportJob(store, params, objects, settings);
        platform.handler(FhirImports.JOB_TYPE, importJob);
        platform.handler(FhirMaintenance.REINDEX_JOB_TYPE, new ReindexJob(store, params));
        service = new FhirBulkService(platform.service(), store, objects, settings);
    }

    /** Installs a version converter, as the whiteboard would. */
    void converter(FhirVersionConverter c) {
        importJob.addConverter(c);
        service.addConverter(c);
    }

    /** Writes a file of the import folder. */
    Path file(String name, List<String> lines) {
        try {
            Path p = folder.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Job await(long jobId) {
        return platform.awaitEnd(jobId, Duration.ofMinutes(5));
    }

    Bundle search(String type, String query) {
        return store.search(ADMIN, type, SearchRequest.parse(query, BASE));
    }

    /** The ids of a searchset's matches (every page). */
    List<String> ids(String type, String query) {
        List<String> out = new ArrayList<>();
        Bundle page = search(type, query + (query.isEmpty() ? "" : "&") + "_count=1000");
        while (true) {
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                if (e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH) {
                    out.add(e.getResource().getIdPart());
                }
            }
            if (page.getLink("next") == null) {
                return out;
            }
            String next = page.getLink("next").getUrl();
            page = store.search(ADMIN, type, SearchRequest.parse(next.substring(next.indexOf('?') + 1), BASE));
        }
    }

    long count(String sql) {
        return store.sql().count(sql);
    }

    @Override
    public void close() {
        platform.close();
        try {
            Method d = FhirStoreImpl.class.getDeclaredMethod("deactivate");
            d.setAccessible(true);
            d.invoke(store);
        } catch (ReflectiveOperationException e) {
            // the read audit's flusher is a daemon thread
        }
        db.close();
        for (Path root : List.of(folder, storeRoot)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }

    static SchemaReady schema(String module, String name) {
        return new SchemaReady() {
            @Override
            public String module() {
                return module;
            }

            @Override
            public String schema() {
                return name;
            }

            @Override
            public String version() {
                return "1";
            }
        };
    }

    static Caller caller(String id, Set<String> rights, Map<String, Scope> scopes) {
        return TestCallers.withScopes(id, rights, scopes);
    }
}
