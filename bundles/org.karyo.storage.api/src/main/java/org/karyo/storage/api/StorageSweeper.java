package org.karyo.storage.api;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Removes objects that no row references, stale multipart uploads, and what unfinished writes left in the store's
 * working space.
 */
@ProviderType
public interface StorageSweeper {

    /**
     * Sweeps the prefixes of every registered {@link ObjectReferences}: objects older than {@code grace} that no
     * module references, and multipart uploads started more than {@code grace} ago; and the store's leftovers of
     * unfinished writes older than {@code grace} ({@link ObjectStore#removeLeftovers}).
     *
     * @param dryRun when true, only reports
     * @param grace the minimum age, or {@code null} for the configured one (24 h by default)
     */
    SweepReport sweep(boolean dryRun, Duration grace);
}
