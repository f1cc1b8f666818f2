package org.karyo.jobs.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SchedulerCore.Trigger} outside Karaf for the multi-node test: fires each task at the cron times of its
 * expression on one thread, as the Karaf scheduler's Quartz does inside the platform.
 */
final class ClockTrigger implements SchedulerCore.Trigger, AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-trigger");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> next = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final ZoneId zone;

    ClockTrigger(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void schedule(String task, String expression, Runnable fire) {
        Cron cron = Cron.parse(expression, zone);
        arm(task, cron, fire);
    }

    private void arm(String task, Cron cron, Runnable fire) {
        arm(task, cron, fire, clock.instant());
    }

    /** Arms the firing after {@code after} (the last cron time fired, so a timer a little early never fires twice). */
    private void arm(String task, Cron cron, Runnable fire, Instant after) {
        Optional<Instant> at = cron.next(after);
        if (at.isEmpty() || timer.isShutdown()) {
            return;
        }
        long delay = Math.max(0, at.get().toEpochMilli() - clock.millis());
        Runnable firing = () -> {
            fire.run();
            arm(task, cron, fire, at.get());
        };
        next.put(task, timer.schedule(firing, delay, TimeUnit.MILLISECONDS));
    }

    @Override
    public void unschedule(String task) {
        ScheduledFuture<?> f = next.remove(task);
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
