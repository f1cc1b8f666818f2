package org.karyo.projects.api;

import java.time.LocalDate;
import org.karyo.api.json.Nullable;

/**
 * The new state of a project (PUT): its code, institution and perimeter node never change; an absent description or
 * end date is removed, an absent status means {@link ProjectStatus#ACTIVE}.
 */
public record ProjectUpdate(
        long investigatorId,
        String name,
        @Nullable String description,
        @Nullable ProjectStatus status,
        LocalDate startDate,
        @Nullable LocalDate endDate) {}
