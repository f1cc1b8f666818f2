package org.karyo.omics.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * A list query over uploads or jobs of the projects where the caller may upload, newest first.
 *
 * @param projects only these projects ({@code ?project=}); empty: every project the caller may upload to
 * @param page paging ({@code ordering} from {@link #ORDERABLE})
 */
public record ListQuery(Set<Long> projects, PageRequest page) {

    /** The fields a list may be ordered by. */
    public static final Set<String> ORDERABLE = Set.of("id", "created_at");

    /** Newest first. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("created_at", true));

    public ListQuery {
        projects = projects == null ? Set.of() : Set.copyOf(projects);
        page = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, DEFAULT_ORDERING) : page;
    }
}
