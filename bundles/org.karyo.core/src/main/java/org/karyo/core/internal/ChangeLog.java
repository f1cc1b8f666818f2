package org.karyo.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.karyo.core.modules.ModuleChange;

/**
 * The module changes since the platform started, in the order they were accepted: all that are not over, and the
 * latest {@value #KEPT} that are. A change's state is replaced as it moves on; waiters are woken at each move.
 *
 * <p>Follow-up: once the platform's job facility ({@code org.karyo.jobs.api}) is on main, each change becomes a platform
 * job (stored, visible after a restart or a kill, readable at {@code /api/jobs/{id}}) and this in-memory log goes; the
 * {@link org.karyo.core.modules.ModuleService} contract (accept, then follow the change) stays.
 */
final class ChangeLog {

    /** How many finished changes are kept. */
    static final int KEPT = 100;

    private final Map<String, ModuleChange> changes = new LinkedHashMap<>();

    /** Adds a change or replaces its state. */
    synchronized void put(ModuleChange change) {
        changes.put(change.id(), change);
        long finished = changes.values().stream().filter(ModuleChange::finished).count();
        for (Iterator<ModuleChange> it = changes.values().iterator(); it.hasNext() && finished > KEPT; ) {
            if (it.next().finished()) {
                it.remove();
                finished--;
            }
        }
        notifyAll();
    }

    synchronized Optional<ModuleChange> get(String id) {
        return Optional.ofNullable(changes.get(id));
    }

    /** The latest change that concerns {@code feature}, if any. */
    synchronized Optional<ModuleChange> latestFor(String feature) {
        List<ModuleChange> all = new ArrayList<>(changes.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).features().contains(feature)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** The changes that are not over, oldest first. */
    synchronized List<ModuleChange> pending() {
        return changes.values().stream().filter(c -> !c.finished()).toList();
    }

    /**
     * Waits until the change {@code id} is over or {@code timeout} has passed; returns its state then, or empty when it
     * is unknown.
     */
    synchronized Optional<ModuleChange> await(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ModuleChange c = changes.get(id);
            if (c == null || c.finished()) {
                return Optional.ofNullable(c);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.of(c);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
