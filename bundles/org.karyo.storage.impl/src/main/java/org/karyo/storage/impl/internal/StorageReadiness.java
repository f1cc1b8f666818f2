package org.karyo.storage.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.karyo.api.KaryoException;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code storage} in {@code /api/health}'s readiness: the highest-ranked object store answers (a {@code stat} of a key
 * no module uses), checked at most every {@value #CACHE_SECONDS} seconds so that health probes do not load the
 * storage server.
 */
@Component(service = ReadinessCheck.class)
public final class StorageReadiness implements ReadinessCheck {
    static final long CACHE_SECONDS = 15;
    static final String PROBE = "karyo/readiness-probe";

    private final ObjectStore store;
    private final Clock clock;
    private Instant checkedAt;
    private boolean ready;

    @Activate
    public StorageReadiness(@Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore store) {
        this(store, Clock.systemUTC());
    }

    StorageReadiness(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public synchronized boolean ready() {
        Instant now = clock.instant();
        if (checkedAt == null || Duration.between(checkedAt, now).getSeconds() >= CACHE_SECONDS) {
            try {
                store.stat(PROBE);
                ready = true;
            } catch (KaryoException e) {
                ready = false;
            }
            checkedAt = now;
        }
        return ready;
    }

    @Override
    public String detail() {
        return ready() ? null : "the " + store.describe().type() + " object store does not answer";
    }
}
