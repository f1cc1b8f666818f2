package org.karyo.projects.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How far a long import is, for a progress bar (a platform job reports it): called with the rows written so far and
 * the rows of the file, from the importing thread, after the file was read and checked.
 */
@ConsumerType
@FunctionalInterface
public interface ImportProgress {

    /** Reports nothing. */
    ImportProgress NONE = (done, total) -> {};

    /**
     * @param done the rows written so far, from 0 to {@code total}
     * @param total the data rows of the file
     */
    void rows(long done, long total);
}
