package org.karyo.storage.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;

/** {@code karyo:storage-stat}: what the store knows of one object. */
@Service
@Command(
        scope = "karyo",
        name = "storage-stat",
        description = "Shows one object's size, entity tag, modification time and, when known, SHA-256 and MD5")
public class StorageStatCommand implements Action {

    @Reference
    ObjectStore store;

    @Argument(index = 0, name = "key", required = true, description = "The object's key, as karyo:storage-ls shows it")
    String key;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        ObjectInfo o;
        try {
            o = store.stat(key).orElseThrow(() -> KaryoException.notFound("object", key));
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Key:       %s%n", o.key());
        out.printf("Size:      %d%n", o.size());
        out.printf("ETag:      %s%n", o.etag());
        out.printf("Modified:  %s%n", o.lastModified());
        out.printf("SHA-256:   %s%n", o.sha256() == null ? "(unknown)" : o.sha256());
        out.printf("MD5:       %s%n", o.md5() == null ? "(unknown)" : o.md5());
    }
}
