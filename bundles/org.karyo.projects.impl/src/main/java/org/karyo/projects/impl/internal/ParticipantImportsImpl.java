package org.karyo.projects.impl.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.projects.api.ImportProgress;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ImportStart;
import org.karyo.projects.api.ParticipantImports;
import org.karyo.projects.api.Project;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ParticipantImports}, and the handler of its jobs ({@value ParticipantImports#JOB_TYPE}). A large file is
 * read and checked row by row while the request is there (a bad file is a 400 at once), kept in object storage under
 * {@code projects/imports/<project>/<uuid>.csv}, and a job is queued with the project and that key. The job imports
 * it in one unit of work, counting rows, with a checkpoint written in that same unit: a job resumed after its node
 * died finds that the import committed and does not import the file twice. The file is removed once the import
 * committed or was refused; an orphan left by a crash goes with the storage sweeper (nothing references it).
 */
@Component(
        service = {ParticipantImports.class, JobHandler.class},
        property = JobHandler.TYPE + "=" + ParticipantImports.JOB_TYPE)
public final class ParticipantImportsImpl implements ParticipantImports, JobHandler {

    static final String PROJECT_ID = "project_id";
    static final String FILE = "file";
    static final String CREATED = "created";
    static final String UPDATED = "updated";
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantImportsImpl.class);

    private final ParticipantServiceImpl participants;
    private final ObjectStore objects;
    private final JobService jobs;
    private final long maxBytes;

    @Activate
    public ParticipantImportsImpl(
            @Reference ParticipantServiceImpl participants,
            @Reference ProjectsStore store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects,
            @Reference JobService jobs) {
        this.participants = participants;
        this.objects = objects;
        this.jobs = jobs;
        this.maxBytes = store.settings().maxImportBytes();
    }

    @Override
    public ImportStart start(Caller caller, long projectId, InputStream csv) {
        Project project = participants.manageable(caller, projectId);
        if (csv == null) {
            throw KaryoException.invalid("file", "is required");
        }
        byte[] bytes;
        try {
            // one byte more than the limit: the CSV reader then refuses the file as too large, naming it
            bytes = csv.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
        } catch (IOException e) {
            throw KaryoException.invalid("file", "could not be read");
        }
        List<ParticipantCsv.Row> rows = participants.readCsv(new ByteArrayInputStream(bytes));
        List<Rules.ParticipantInput> inputs = participants.check(project, rows);
        if (rows.size() <= JOB_ROWS) {
            return new ImportStart(
                    participants.importRows(caller, project, rows, inputs, ImportProgress.NONE, r -> {}), null);
        }
        String key = "projects/imports/" + projectId + "/" + UUID.randomUUID() + ".csv";
        objects.put(key, new ByteArrayInputStream(bytes), bytes.length, PutOptions.contentType("text/csv"));
        try {
            Job job = jobs.submit(
                    caller,
                    NewJob.of(JOB_TYPE)
                            .withKey("project-" + projectId)
                            .withPayload(Map.of(PROJECT_ID, Long.toString(projectId), FILE, key))
                            .withProgress("rows", (long) rows.size()));
            LOG.info(
                    "Participant import of {} rows into project {} queued as job {} by {}",
                    rows.size(),
                    projectId,
                    job.id(),
                    caller.id());
            return new ImportStart(null, job.id());
        } catch (RuntimeException e) {
            delete(key);
            throw e;
        }
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        Map<String, String> done = context.checkpoint();
        if (done.containsKey(CREATED)) {
            // an earlier start committed the import, then its node stopped before the job's end was written
            delete(context.payload().get(FILE));
            return Map.of(CREATED, done.get(CREATED), UPDATED, done.getOrDefault(UPDATED, "0"));
        }
        long projectId = Long.parseLong(context.payload().get(PROJECT_ID));
        String key = context.payload().get(FILE);
        byte[] bytes;
        try (InputStream in = objects.get(key)) {
            bytes = in.readAllBytes();
        } catch (KaryoException e) {
            throw new JobFailedException("the file to import is gone; import it again");
        }
        try {
            Project project = participants.project(projectId);
            List<ParticipantCsv.Row> rows = participants.readCsv(new ByteArrayInputStream(bytes));
            List<Rules.ParticipantInput> inputs = participants.check(project, rows);
            context.throwIfCancelled();
            ImportReport report = participants.importRows(
                    context.caller(),
                    project,
                    rows,
                    inputs,
                    (n, total) -> {
                        context.progress(n, total);
                        context.throwIfCancelled();
                    },
                    r -> context.checkpoint(
                            Map.of(CREATED, Integer.toString(r.created()), UPDATED, Integer.toString(r.updated()))));
            delete(key);
            return Map.of(CREATED, Integer.toString(report.created()), UPDATED, Integer.toString(report.updated()));
        } catch (KaryoException e) {
            // the file is refused (or its project is gone): it will not be imported, the job fails with the reason
            delete(key);
            throw e;
        }
    }

    private void delete(String key) {
        if (key == null) {
            return;
        }
        try {
            objects.delete(key);
        } catch (RuntimeException e) {
            LOG.debug("Removing import file {} failed; the storage sweeper removes it", key, e);
        }
    }
}
