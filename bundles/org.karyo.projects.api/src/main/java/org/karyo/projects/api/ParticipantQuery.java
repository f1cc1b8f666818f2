package org.karyo.projects.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * Filters of the participant list.
 *
 * @param search a case-insensitive substring of the identifier, first or last name (nominative readers only) or a
 *     sample id (both), or {@code null}
 * @param active only active or inactive participants, or {@code null} for both
 * @param consent only participants whose consent today is one of these; empty for all
 * @param page paging; ordering by {@link #ORDERABLE}
 */
public record ParticipantQuery(String search, Boolean active, Set<ConsentState> consent, PageRequest page) {
    /** What a client may order by: orderings that reveal nothing a pseudonymised reader may not see. */
    public static final Set<String> ORDERABLE = Set.of("identifier", "created_at", "updated_at");

    /** Identifier order: creation order. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("identifier", false));

    public ParticipantQuery {
        consent = consent == null ? Set.of() : Set.copyOf(consent);
    }
}
