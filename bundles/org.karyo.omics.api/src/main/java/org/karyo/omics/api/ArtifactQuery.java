package org.karyo.omics.api;

import java.util.List;
import java.util.Set;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/**
 * A list query over the artifacts of the projects the caller may read. Empty filters match everything; filters
 * combine with AND, the values of one filter with OR.
 *
 * @param projects only these projects ({@code ?project=1,2})
 * @param kinds only these kinds ({@code ?kind=VCF,BED})
 * @param participant only this participant's artifacts, or {@code null} ({@code ?participant=})
 * @param sample only artifacts with a sample column of exactly this name, or {@code null} ({@code ?sample=})
 * @param page paging and ordering; ordering fields from {@link #ORDERABLE}
 */
public record ArtifactQuery(
        Set<Long> projects, Set<ArtifactKind> kinds, Long participant, String sample, PageRequest page) {

    /** The fields a list may be ordered by. */
    public static final Set<String> ORDERABLE = Set.of("id", "created_at", "file_name", "stored_size", "kind");

    /** Newest first. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("created_at", true));

    public ArtifactQuery {
        projects = projects == null ? Set.of() : Set.copyOf(projects);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        sample = sample == null || sample.isEmpty() ? null : sample;
        page = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, DEFAULT_ORDERING) : page;
    }

    /** Every artifact the caller may read, one page of it. */
    public static ArtifactQuery all(PageRequest page) {
        return new ArtifactQuery(Set.of(), Set.of(), null, null, page);
    }
}
