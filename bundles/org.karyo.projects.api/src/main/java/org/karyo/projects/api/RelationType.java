package org.karyo.projects.api;

/**
 * How two participants are related: {@code from} is the {@code type} of {@code to} (EBDMS {@code RelationType}).
 * {@link #TWIN_MONOZYGOTIC} requires the same birth date and gender.
 */
public enum RelationType {
    PARENT,
    CHILD,
    SIBLING,
    HALF_SIBLING,
    TWIN_MONOZYGOTIC,
    TWIN_DIZYGOTIC,
    SPOUSE,
    OTHER
}
