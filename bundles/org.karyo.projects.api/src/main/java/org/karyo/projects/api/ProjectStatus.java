package org.karyo.projects.api;

/**
 * A project's status (EBDMS {@code status}). An {@link #INACTIVE} project needs an end date; an {@link #ACTIVE} one is
 * active until its end date, if it has one.
 */
public enum ProjectStatus {
    ACTIVE,
    INACTIVE
}
