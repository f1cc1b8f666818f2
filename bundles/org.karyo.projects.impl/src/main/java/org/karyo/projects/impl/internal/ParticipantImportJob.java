package org.karyo.projects.impl.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.jobs.api.JobHandler;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ParticipantImports;
import org.karyo.projects.api.Project;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the participant import jobs ({@value ParticipantImports#JOB_TYPE}) that {@link ParticipantImportsImpl} queues:
 * reads the kept file, imports it in one unit of work with a checkpoint written in that same unit, and removes the
 * file once the import committed or was refused.
 *
 * <p>A component of its own, holding no {@link org.karyo.jobs.api.JobService}: a handler that refers to the job
 * service forms a cycle with the engine's whiteboard, and the runtime then binds the handler some time after the
 * service that queues its jobs is up (a submit in that moment is refused with "no handler").
 */
@Component(service = JobHandler.class, property = JobHandler.TYPE + "=" + ParticipantImports.JOB_TYPE)
public final class ParticipantImportJob implements JobHandler {

    static final String PROJECT_ID = "project_id";
    static final String FILE = "file";
    static final String CREATED = "created";
    static final String UPDATED = "updated";
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantImportJob.class);

    private final ParticipantServiceImpl participants;
    private final ObjectStore objects;

    @Activate
    public ParticipantImportJob(
            @Reference ParticipantServiceImpl participants,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects) {
        this.participants = participants;
        this.objects = objects;
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
            delete(objects, context.payload().get(FILE));
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
            delete(objects, key);
            return Map.of(CREATED, Integer.toString(report.created()), UPDATED, Integer.toString(report.updated()));
        } catch (KaryoException e) {
            // the file is refused (or its project is gone): it will not be imported, the job fails with the reason
            delete(objects, key);
            throw e;
        }
    }

    /** Removes an import file; a failure is left to the storage sweeper. */
    static void delete(ObjectStore objects, String key) {
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
