package org.karyo.omics.shell.internal;

import java.io.PrintStream;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;

/**
 * The module's table commands: the options they share (projects, paging), the query as the console's Karyo user, a
 * refused query explained, one row per item and a count line. Subclasses say what to fetch and how a row looks.
 */
abstract class ListCommand<T> implements Action {

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--project", aliases = "-p", description = "Only these project ids, comma-separated")
    String project;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 20)")
    int limit = PageRequest.DEFAULT_LIMIT;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    /** The page to show ({@link #limit}, {@link #offset}), for these project ids (empty: every one the caller sees). */
    abstract Page<T> fetch(Caller caller, Set<Long> projects);

    /** Declares the table's columns. */
    abstract void columns(ShellTable table);

    /** One item's cells, in the order of {@link #columns}. */
    abstract Object[] cells(T item);

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<T> found;
        try {
            Set<Long> projects = Filters.values("project", project, Long::valueOf);
            found = fetch(ConsoleCaller.current(identity), projects);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        columns(table);
        for (T item : found.results()) {
            table.addRow().addContent(cells(item));
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }

    static Object orBlank(Object value) {
        return value == null ? "" : value;
    }
}
