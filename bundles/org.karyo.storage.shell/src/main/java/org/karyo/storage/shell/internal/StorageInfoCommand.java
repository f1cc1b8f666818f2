package org.karyo.storage.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.StoreDescription;

/** {@code karyo:storage-info}: which object store is in use. */
@Service
@Command(
        scope = "karyo",
        name = "storage-info",
        description = "Shows the object store in use (the highest-ranked: MinIO when configured, else the filesystem"
                + " store): its type, location, bucket and the base of its presigned URLs; never credentials")
public class StorageInfoCommand implements Action {

    @Reference
    ObjectStore store;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        StoreDescription d = store.describe();
        out.printf("Type:        %s%n", d.type());
        out.printf("Location:    %s%n", d.location());
        out.printf("Bucket:      %s%n", d.bucket());
        out.printf("Public URL:  %s%n", d.publicUrl());
    }
}
