package org.karyo.storage.api;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/** Removes objects that no row references, and stale multipart uploads. */
@ProviderType
public interface StorageSweeper {

    /**
     * Sweeps the prefixes of every registered {@link ObjectReferences}: objects older than {@code grace} that no
     * module references, and multipart uploads started more than {@code grace} ago.
     *
     * @param dryRun when true, only reports
     * @param grace the minimum age, or {@code null} for the configured one (24 h by default)
     */
    SweepReport sweep(boolean dryRun, Duration grace);
}
