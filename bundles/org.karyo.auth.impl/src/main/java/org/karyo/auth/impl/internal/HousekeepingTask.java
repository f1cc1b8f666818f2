package org.karyo.auth.impl.internal;

import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskScope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The cluster task {@value #NAME}, hourly on the platform scheduler (and once at start when a firing was missed):
 * rotates the signing key when due and forgets keys whose tokens have all expired, drops revoked sessions and refresh
 * tokens no longer needed, and old back-off rows. One node runs each firing, so a key rotates once across nodes. The
 * check that a signing key exists stays with {@link SigningKeys}' activation: tokens cannot be issued without one.
 */
@Component(service = ScheduledTask.class)
public final class HousekeepingTask implements ScheduledTask {
    static final String NAME = "auth.housekeeping";

    private final SigningKeys keys;
    private final Sessions sessions;
    private final Backoff backoff;

    @Activate
    public HousekeepingTask(@Reference SigningKeys keys, @Reference Sessions sessions, @Reference Backoff backoff) {
        this.keys = keys;
        this.sessions = sessions;
        this.backoff = backoff;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Rotates the token signing key when due, drops ended sessions, expired refresh tokens and old login"
                + " back-off rows";
    }

    @Override
    public String defaultSchedule() {
        return "0 0 * * * ?";
    }

    @Override
    public TaskScope scope() {
        return TaskScope.CLUSTER;
    }

    @Override
    public boolean catchUp() {
        return true;
    }

    @Override
    public void run(TaskContext context) {
        keys.maintain();
        sessions.purge();
        backoff.purge();
        context.summary(
                "signing keys maintained; ended sessions, expired refresh tokens and old back-off rows dropped");
    }
}
