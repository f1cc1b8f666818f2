package org.karyo.omics.shell.internal;

import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.UploadService;

/** {@code karyo:omics-jobs}: validation jobs, newest first, with where a rejected file is wrong. */
@Service
@Command(
        scope = "karyo",
        name = "omics-jobs",
        description = "Lists validation jobs of completed uploads, newest first: state, the artifact made, or where and"
                + " why a file was rejected")
public class JobsCommand extends ListCommand<Job> {

    @Reference
    UploadService uploads;

    @Override
    Page<Job> fetch(Caller caller, Set<Long> projects) {
        return uploads.jobs(
                caller, new ListQuery(projects, new PageRequest(limit, offset, ListQuery.DEFAULT_ORDERING)));
    }

    @Override
    void columns(ShellTable table) {
        table.column("ID").alignRight();
        table.column("Upload").alignRight();
        table.column("Project").alignRight();
        table.column("State");
        table.column("Artifact").alignRight();
        table.column("Attempts").alignRight();
        table.column("Where");
        table.column("Message").maxSize(60);
        table.column("Finished");
    }

    @Override
    Object[] cells(Job j) {
        return new Object[] {
            j.id(),
            j.uploadId(),
            j.projectId(),
            j.state(),
            orBlank(j.artifactId()),
            j.attempts(),
            orBlank(j.errorWhere()),
            orBlank(j.errorMessage()),
            orBlank(j.finishedAt())
        };
    }
}
