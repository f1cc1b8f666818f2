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
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.projects.api.ImportProgress;
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
 * {@link ParticipantImports}; {@link ParticipantImportJob} runs its jobs ({@value ParticipantImports#JOB_TYPE}). A large file is
 * read and checked row by row while the request is there (a bad file is a 400 at once), kept in object storage under
 * {@code projects/imports/<project>/<uuid>.csv}, and a job is queued with the project and that key. The job imports
 * it in one unit of work, counting rows, with a checkpoint written in that same unit: a job resumed after its node
 * died finds that the import committed and does not import the file twice. The file is removed once the import
 * committed or was refused; an orphan left by a crash goes with the storage sweeper (nothing references it).
 */
@Component(service = ParticipantImports.class)
public final class ParticipantImportsImpl implements ParticipantImports {

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
                            .withPayload(Map.of(
                                    ParticipantImportJob.PROJECT_ID,
                                    Long.toString(projectId),
                                    ParticipantImportJob.FILE,
                                    key))
                            .withProgress("rows", (long) rows.size()));
            LOG.info(
                    "Participant import of {} rows into project {} queued as job {} by {}",
                    rows.size(),
                    projectId,
                    job.id(),
                    caller.id());
            return new ImportStart(null, job.id());
        } catch (RuntimeException e) {
            ParticipantImportJob.delete(objects, key);
            throw e;
        }
    }
}
