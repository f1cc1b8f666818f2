package org.karyo.projects.api;

/**
 * What other modules need to know about a project.
 *
 * @param id the project's id
 * @param code the project's unique short code (at most 8 characters, EBDMS)
 * @param name the project's unique name
 * @param perimeterId the project's node in the perimeter tree (type {@code project}); rights are checked on it
 * @param institutionId the institution that runs the project
 * @param active whether the project is active today (UTC): its status is {@link ProjectStatus#ACTIVE} and it has no
 *     end date or one after today (EBDMS {@code is_active})
 */
public record ProjectRef(long id, String code, String name, long perimeterId, long institutionId, boolean active) {}
