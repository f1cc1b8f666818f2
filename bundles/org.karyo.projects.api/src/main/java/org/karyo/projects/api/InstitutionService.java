package org.karyo.projects.api;

import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Institutions and their principal investigators. Reading needs {@link ProjectRights#PROJECT_READ} on the
 * institution's perimeter node (or an ancestor), writing {@link ProjectRights#PROJECT_MANAGE}; an institution on
 * which the caller holds no right of this module answers {@code NOT_FOUND}. Every write is one unit of work and
 * audited. Failures are {@link org.karyo.api.KaryoException}s: {@code INVALID} naming each bad field (nothing is
 * written), {@code NOT_FOUND}, {@code FORBIDDEN} (visible but not manageable), {@code CONFLICT} (a duplicate code,
 * name or address) and {@code PRECONDITION_FAILED} (a stale {@code expectedVersion}).
 */
@ProviderType
public interface InstitutionService {

    /** The institutions the caller may read, filtered by a case-insensitive substring of code or name. */
    Page<Institution> list(Caller caller, String search, PageRequest page);

    Institution get(Caller caller, long id);

    /**
     * Creates an institution and its perimeter node (type {@code institution}) in one unit of work, under
     * {@link NewInstitution#parentPerimeterId()}, or under the site root (the root node of the perimeter tree) when it
     * is {@code null}: the caller needs {@link ProjectRights#PROJECT_MANAGE} on that node (directly or from an
     * ancestor: {@code projects.project.manage} on the root node lets a caller add institutions anywhere below it).
     * Otherwise {@code INVALID} naming {@code parent_perimeter_id} (a node given) or {@code FORBIDDEN} (the root). An
     * institution is never a root of its own, so an access on the site root always covers it.
     */
    Institution create(Caller caller, NewInstitution institution);

    /** Replaces the name, department and address (the perimeter node keeps its name). */
    Institution update(Caller caller, long id, InstitutionUpdate update, OptionalLong expectedVersion);

    /** The investigators the caller may read, optionally of one institution, by case-insensitive name substring. */
    Page<Investigator> investigators(Caller caller, Long institutionId, String search, PageRequest page);

    Investigator investigator(Caller caller, long id);

    Investigator createInvestigator(Caller caller, NewInvestigator investigator);

    Investigator updateInvestigator(Caller caller, long id, InvestigatorUpdate update, OptionalLong expectedVersion);

    /** Deletes an investigator who leads no project ({@code CONFLICT} otherwise). */
    void deleteInvestigator(Caller caller, long id, OptionalLong expectedVersion);
}
