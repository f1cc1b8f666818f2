package org.karyo.storage.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PendingUpload;

/** {@code karyo:storage-uploads}: the multipart uploads in progress under a prefix. */
@Service
@Command(
        scope = "karyo",
        name = "storage-uploads",
        description = "Lists the multipart uploads started under a prefix and neither completed nor aborted"
                + " (karyo:storage-sweep aborts those older than the grace period)")
public class StorageUploadsCommand implements Action {

    @Reference
    ObjectStore store;

    @Argument(
            index = 0,
            name = "prefix",
            description = "The start of the keys, for example omics/; empty: every upload")
    String prefix = "";

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<PendingUpload> uploads;
        try {
            uploads = store.listMultipartUploads(prefix == null ? "" : prefix);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("Key");
        table.column("Upload id");
        table.column("Started");
        for (PendingUpload u : uploads) {
            table.addRow().addContent(u.upload().key(), u.upload().uploadId(), u.initiated());
        }
        table.print(out);
        out.printf("%d upload(s) in progress%n", uploads.size());
    }
}
