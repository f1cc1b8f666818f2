package org.karyo.storage.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;

/** {@code karyo:storage-ls}: one page of the objects under a prefix, in key order. */
@Service
@Command(
        scope = "karyo",
        name = "storage-ls",
        description = "Lists the objects whose keys start with a prefix, in key order, one page at a time")
public class StorageListCommand implements Action {

    @Reference
    ObjectStore store;

    @Argument(
            index = 0,
            name = "prefix",
            description = "The start of the keys, for example omics/ (each module owns its first segment); empty:"
                    + " every object")
    String prefix = "";

    @Option(
            name = "--after",
            aliases = "-a",
            description = "Start after this key (the last key of the previous page, which the command prints)")
    String after;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<ObjectInfo> page;
        try {
            page = store.list(prefix == null ? "" : prefix, after, limit);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("Key");
        table.column("Size").alignRight();
        table.column("Modified");
        table.column("SHA-256");
        for (ObjectInfo o : page) {
            table.addRow()
                    .addContent(
                            o.key(),
                            o.size(),
                            o.lastModified() == null ? "" : o.lastModified(),
                            o.sha256() == null ? "" : o.sha256());
        }
        table.print(out);
        if (page.size() < limit) {
            out.printf("%d object(s)%n", page.size());
        } else {
            out.printf(
                    "%d object(s) shown; next page: karyo:storage-ls %s --after %s%n",
                    page.size(),
                    prefix == null ? "" : prefix,
                    page.get(page.size() - 1).key());
        }
    }
}
