package org.karyo.projects.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * Filters of the project list.
 *
 * @param institutionId only this institution's projects, or {@code null}
 * @param statuses only these statuses; empty for all
 * @param active only projects active (or not) today, or {@code null} for both
 * @param search a case-insensitive substring of the code or name, or {@code null}
 * @param page paging; ordering by {@link #ORDERABLE}
 */
public record ProjectQuery(
        Long institutionId, Set<ProjectStatus> statuses, Boolean active, String search, PageRequest page) {
    public static final Set<String> ORDERABLE = Set.of("code", "name", "start_date", "end_date", "created_at");
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("code", false));

    public ProjectQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }
}
