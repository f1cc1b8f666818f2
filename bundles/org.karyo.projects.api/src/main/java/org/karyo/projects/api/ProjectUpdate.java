package org.karyo.projects.api;

import java.time.LocalDate;

/**
 * The new state of a project (PUT): its code, institution and perimeter node never change; an absent description or
 * end date is removed, an absent status means {@link ProjectStatus#ACTIVE}.
 */
public record ProjectUpdate(
        long investigatorId,
        String name,
        String description,
        ProjectStatus status,
        LocalDate startDate,
        LocalDate endDate) {}
