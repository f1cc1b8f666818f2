package org.karyo.auth.impl.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hourly upkeep on one daemon thread: rotates the signing key when due (and forgets keys whose tokens have all
 * expired), drops revoked sessions and refresh tokens no longer needed, and old back-off rows. Immediate, so that the
 * signing keys are checked at start.
 */
@Component(immediate = true, service = Housekeeping.class)
public class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final SigningKeys keys;
    private final Sessions sessions;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;

    @Activate
    public Housekeeping(@Reference SigningKeys keys, @Reference Sessions sessions, @Reference Backoff backoff) {
        this.keys = keys;
        this.sessions = sessions;
        this.backoff = backoff;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "karyo-auth-housekeeping");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::run, 1, 60, TimeUnit.MINUTES);
    }

    void run() {
        try {
            keys.maintain();
            sessions.purge();
            backoff.purge();
        } catch (RuntimeException e) {
            LOG.warn("Identity housekeeping failed; retrying in an hour", e);
        }
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
    }
}
