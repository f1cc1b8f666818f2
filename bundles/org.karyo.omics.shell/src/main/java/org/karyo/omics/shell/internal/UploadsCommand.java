package org.karyo.omics.shell.internal;

import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadService;

/** {@code karyo:omics-uploads}: uploads in progress and done, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "omics-uploads",
        description = "Lists uploads of genomic files (receiving, completing, completed, rejected, aborted, expired)"
                + " of the projects you may upload to, newest first")
public class UploadsCommand extends ListCommand<Upload> {

    @Reference
    UploadService uploads;

    @Override
    Page<Upload> fetch(Caller caller, Set<Long> projects) {
        return uploads.list(
                caller, new ListQuery(projects, new PageRequest(limit, offset, ListQuery.DEFAULT_ORDERING)));
    }

    @Override
    void columns(ShellTable table) {
        table.column("ID").alignRight();
        table.column("Project").alignRight();
        table.column("Kind");
        table.column("File").maxSize(40);
        table.column("Size").alignRight();
        table.column("Parts").alignRight();
        table.column("State");
        table.column("Job").alignRight();
        table.column("By");
        table.column("Expires");
    }

    @Override
    Object[] cells(Upload u) {
        return new Object[] {
            u.id(),
            u.projectId(),
            u.kind(),
            u.fileName(),
            Sizes.of(u.size()),
            u.partCount(),
            u.state(),
            orBlank(u.jobId()),
            u.createdBy(),
            u.expiresAt()
        };
    }
}
