package org.karyo.storage.api;

import java.util.List;

/**
 * What one sweep removed, or would remove in a dry run.
 *
 * @param dryRun whether nothing was removed
 * @param prefixes the prefixes looked at (those of installed modules)
 * @param objects the unreferenced objects older than the grace period
 * @param uploads the stale multipart uploads
 * @param bytes the total size of {@code objects}
 * @param leftovers what unfinished writes left in the store's working space (temporary files)
 */
public record SweepReport(
        boolean dryRun,
        List<String> prefixes,
        List<ObjectInfo> objects,
        List<PendingUpload> uploads,
        long bytes,
        Leftovers leftovers) {}
