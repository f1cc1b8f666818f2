package org.karyo.storage.api;

import java.util.Collection;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered (whiteboard) by each module that stores objects, for the keys under its {@link #prefix()}. The sweeper
 * only ever looks under the prefixes of registered, i.e. installed, modules, so an uninstalled module's objects are
 * left alone.
 */
@ConsumerType
public interface ObjectReferences {

    /** The key prefix the module owns, ending in {@code /}, for example {@code omics/}. */
    String prefix();

    /** Which of {@code keys} (all under {@link #prefix()}) a row, an upload in progress or a job still refers to. */
    Set<String> referenced(Collection<String> keys);
}
