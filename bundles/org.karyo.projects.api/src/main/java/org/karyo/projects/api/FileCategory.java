package org.karyo.projects.api;

/** What a project file is (EBDMS {@code AssociatedFile.category}). */
public enum FileCategory {
    DOCUMENTS,
    PROTOCOLS
}
