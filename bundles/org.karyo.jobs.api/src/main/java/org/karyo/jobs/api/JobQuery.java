package org.karyo.jobs.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * A list query over jobs. Empty filters match everything; filters combine with AND, the values of one filter with OR.
 * A caller without {@link JobRights#MANAGE} only ever sees its own jobs, whatever {@code owner} says.
 *
 * @param types job types ({@code ?type=})
 * @param modules owning modules ({@code ?module=})
 * @param states states ({@code ?state=})
 * @param owner the submitter's opaque id ({@code ?owner=}), or {@code null}
 * @param key the module's key ({@code ?key=}), or {@code null}
 * @param page paging and ordering; ordering fields from {@link #ORDERABLE}
 */
public record JobQuery(
        Set<String> types, Set<String> modules, Set<JobState> states, String owner, String key, PageRequest page) {

    /** The fields a list may be ordered by. */
    public static final Set<String> ORDERABLE = Set.of("id", "created_at", "updated_at", "state", "type");

    /** Newest first. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("id", true));

    public JobQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        modules = modules == null ? Set.of() : Set.copyOf(modules);
        states = states == null ? Set.of() : Set.copyOf(states);
        owner = owner == null || owner.isBlank() ? null : owner;
        key = key == null || key.isEmpty() ? null : key;
        page = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, DEFAULT_ORDERING) : page;
    }

    /** Every job the caller may see, one page of it. */
    public static JobQuery all(PageRequest page) {
        return new JobQuery(Set.of(), Set.of(), Set.of(), null, null, page);
    }
}
