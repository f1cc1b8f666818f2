package org.karyo.fhir.impl.internal.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.karyo.api.EnvOverrides;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirVersionConverter;
import org.karyo.fhir.impl.internal.parse.FhirJson;
import org.karyo.fhir.impl.internal.store.Indexing;
import org.karyo.fhir.impl.internal.store.SetWriter;
import org.karyo.fhir.impl.internal.store.StoreInternals;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Runs the import jobs ({@value FhirImports#JOB_TYPE}) that {@link FhirBulkService} queues ({@link ImportRun} does the
 * work). A component of its own that holds no {@link org.karyo.jobs.api.JobService} (see {@link JobHandler}). An import
 * interrupted by its node's end (or a lost lease) starts again from its first line on the node that takes it up: what
 * it had stored is stored again as a new version (an import updates), and its report is made again in full.
 */
@Component(
        service = JobHandler.class,
        property = JobHandler.TYPE + "=" + FhirImports.JOB_TYPE,
        configurationPid = ImportSettings.PID)
public final class ImportJob implements JobHandler {
    static final String FILES = "files";
    static final String FHIR_VERSION = "fhir_version";

    private final StoreInternals store;
    private final Indexing indexing;
    private final ObjectStore objects;
    private final ImportSettings settings;
    private final FhirJson json = new FhirJson();
    private final List<FhirVersionConverter> converters = new CopyOnWriteArrayList<>();

    @Activate
    public ImportJob(
            @Reference StoreInternals store,
            @Reference Indexing indexing,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects,
            Map<String, Object> properties) {
        this(store, indexing, objects, ImportSettings.of(properties, EnvOverrides.system()));
    }

    ImportJob(StoreInternals store, Indexing indexing, ObjectStore objects, ImportSettings settings) {
        this.store = store;
        this.indexing = indexing;
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
    public boolean resumable() {
        return true;
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        String version = context.payload().getOrDefault(FHIR_VERSION, FhirImports.R5);
        FhirVersionConverter converter = null;
        if (!version.equals(FhirImports.R5)) {
            converter = converter(converters, version);
            if (converter == null) {
                throw new JobFailedException("No converter from FHIR " + version
                        + " to R5 is installed (install the feature karyo-fhir-r4 for 4.0)");
            }
        }
        List<ImportFile> files = new ArrayList<>();
        for (String f : context.payload().getOrDefault(FILES, "").split("\n")) {
            if (!f.isBlank()) {
                files.add(ImportFile.decode(f));
            }
        }
        if (files.isEmpty()) {
            throw new JobFailedException("The import names no file");
        }
        FhirJson.Limits limits = FhirJson.Limits.DEFAULT;
        LinePreparer preparer = new LinePreparer(json, limits, indexing.extractor(), converter);
        SetWriter bulk = new SetWriter(store, indexing.extractor());
        return new ImportRun(
                        context,
                        store,
                        bulk,
                        preparer,
                        objects,
                        settings.folder(),
                        files,
                        settings.stopOnError(),
                        settings.fastUpdate(),
                        settings.threads(),
                        limits)
                .run();
    }

    /** The converter from {@code version}, or {@code null}. */
    static FhirVersionConverter converter(List<FhirVersionConverter> converters, String version) {
        for (FhirVersionConverter c : converters) {
            if (version.equals(c.fromVersion())) {
                return c;
            }
        }
        return null;
    }
}
