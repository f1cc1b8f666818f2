package org.karyo.jobs.api;

import java.util.Objects;
import org.karyo.api.json.Nullable;

/**
 * How far a job is, in the job's own unit, so that a client can draw a progress bar.
 *
 * @param done how much is done (at least 0)
 * @param total how much there is in all, or {@code null} while unknown
 * @param unit what is counted: {@code bytes}, {@code rows}, {@code items}…
 */
public record Progress(long done, @Nullable Long total, String unit) {

    public Progress {
        Objects.requireNonNull(unit, "unit");
        if (done < 0 || (total != null && total < 0)) {
            throw new IllegalArgumentException("progress counts are never negative");
        }
    }
}
