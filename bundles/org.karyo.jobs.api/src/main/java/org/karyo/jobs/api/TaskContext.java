package org.karyo.jobs.api;

import java.time.Instant;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** What a {@link ScheduledTask} knows of the run it does. */
@ProviderType
public interface TaskContext {

    /** The task's name. */
    String task();

    /** The firing this run is for (the cron time), or the time of the request for a manual run. */
    Instant slot();

    /** What started it. */
    TaskTrigger trigger();

    /** The node running it. */
    String node();

    /** Who started it: {@link Caller#SYSTEM} for the schedule, the requester (holding no right) for a manual run. */
    Caller caller();

    /** Whether the run should stop (the node is shutting down, or a manual run's job was cancelled). */
    boolean cancelled();

    /** A one-line outcome for the history ({@code removed 12 objects}; at most 500 characters, no patient data). */
    void summary(String text);
}
