package org.karyo.storage.api;

/**
 * What writes that never finished (the platform stopped or was killed in the middle) left in a store's own working
 * space, as {@link ObjectStore#removeLeftovers} found it.
 *
 * @param files how many files (or folders of files)
 * @param bytes their total size
 */
public record Leftovers(int files, long bytes) {

    /** Nothing left. */
    public static final Leftovers NONE = new Leftovers(0, 0);
}
