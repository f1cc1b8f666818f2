package org.karyo.content.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * A list query. Empty filters match everything; the filters combine with AND, the values of one filter with OR.
 *
 * @param types the content types to match ({@code ?content_type=A,B})
 * @param pages the pages to match exactly ({@code ?page_source=p1,p2})
 * @param search a case-insensitive substring of the title or the text, or {@code null} ({@code ?search=})
 * @param page paging and ordering; ordering fields from {@link #ORDERABLE}
 */
public record ContentQuery(Set<ContentType> types, Set<String> pages, String search, PageRequest page) {

    /** The fields a list may be ordered by, as they appear in {@code ?ordering=}. */
    public static final Set<String> ORDERABLE = Set.of("title", "page", "content_type", "created_at", "modified_at");

    /** The ordering when the client gives none: newest first. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("created_at", true));

    public ContentQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        pages = pages == null ? Set.of() : Set.copyOf(pages);
        search = search == null || search.isEmpty() ? null : search;
        page = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, DEFAULT_ORDERING) : page;
    }

    /** Every live content, one page of it. */
    public static ContentQuery all(PageRequest page) {
        return new ContentQuery(Set.of(), Set.of(), null, page);
    }
}
