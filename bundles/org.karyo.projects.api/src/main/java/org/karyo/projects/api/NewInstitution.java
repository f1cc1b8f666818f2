package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/**
 * An institution to create.
 *
 * @param code 1 to 12 letters or digits, unique (any case); it cannot change later
 * @param name at most 255 characters; unique together with the department
 * @param department at most 255 characters, or {@code null}
 * @param address at most 1000 characters, unique, or {@code null}
 * @param parentPerimeterId the perimeter node under which the institution's node goes (the caller needs
 *     {@link ProjectRights#PROJECT_MANAGE} there, possibly inherited from the root), or {@code null} for the site
 *     root (the root node of the perimeter tree; the oldest one when there are several)
 */
public record NewInstitution(
        String code,
        String name,
        @Nullable String department,
        @Nullable String address,
        @Nullable Long parentPerimeterId) {}
