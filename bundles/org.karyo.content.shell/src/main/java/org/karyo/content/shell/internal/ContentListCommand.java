package org.karyo.content.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.core.shell.support.ConsoleCaller;

/** {@code karyo:content-list}: a table of web content, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "content-list",
        description = "Lists web content (banners and release notes), newest first")
public class ContentListCommand implements Action {

    private static final int TITLE_WIDTH = 50;

    @Reference
    ContentService contents;

    @Reference
    ConsoleIdentity identity;

    @Option(
            name = "--type",
            aliases = "-t",
            description = "Only these content types, comma-separated: BANNER_WARNING, BANNER_INFO, BANNER_ERROR,"
                    + " RELEASE_NOTE")
    @Completion(ContentTypeCompleter.class)
    String type;

    @Option(name = "--page", aliases = "-p", description = "Only content shown on these pages, comma-separated")
    String page;

    @Option(
            name = "--search",
            aliases = "-s",
            description = "Only content whose title or text contains this (any case)")
    String search;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 20)")
    int limit = PageRequest.DEFAULT_LIMIT;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<Content> found;
        try {
            Set<ContentType> types =
                    Filters.values("content_type", type, s -> ContentType.valueOf(s.toUpperCase(Locale.ROOT)));
            ContentQuery query = new ContentQuery(
                    types, Filters.values(page), search, new PageRequest(limit, offset, ContentQuery.DEFAULT_ORDERING));
            found = contents.list(ConsoleCaller.current(identity), query);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Type");
        table.column("Page");
        table.column("Title").maxSize(TITLE_WIDTH);
        table.column("Metadata");
        table.column("Modified");
        table.column("Version").alignRight();
        for (Content c : found.results()) {
            table.addRow()
                    .addContent(
                            c.id(),
                            c.contentType(),
                            c.page() == null ? "" : c.page(),
                            c.title(),
                            c.metadata().isEmpty() ? "" : c.metadata().toString(),
                            c.modifiedAt(),
                            c.version());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
