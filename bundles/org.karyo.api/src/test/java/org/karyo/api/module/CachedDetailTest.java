package org.karyo.api.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachedDetailTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicReference<String> state = new AtomicReference<>("starting");
    private final AtomicInteger evaluations = new AtomicInteger();
    private final List<Runnable> queued = new ArrayList<>();
    private final CachedDetail detail = new CachedDetail(
            () -> {
                evaluations.incrementAndGet();
                return state.get();
            },
            Duration.ofSeconds(2),
            queued::add,
            now::get);

    @Test
    void theFirstCallEvaluatesAtOnceAndLaterOnesAnswerFromTheCache() {
        assertThat(detail.get()).isEqualTo("starting");
        state.set(null);
        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(detail.get()).as("within the time to live").isEqualTo("starting");
        assertThat(evaluations).hasValue(1);
        assertThat(queued).isEmpty();
    }

    @Test
    void aStaleAnswerStartsOneEvaluationInTheBackgroundWithoutWaitingForIt() {
        detail.get();
        state.set(null);
        now.addAndGet(Duration.ofSeconds(2).toNanos());

        assertThat(detail.get()).as("the probe does not wait").isEqualTo("starting");
        assertThat(detail.get()).isEqualTo("starting");
        assertThat(queued).as("one refresh at a time").hasSize(1);

        queued.remove(0).run();
        assertThat(detail.get()).as("the refreshed state").isNull();
        assertThat(evaluations).hasValue(2);
    }

    @Test
    void aFailingEvaluationReadsAsNotReady() {
        CachedDetail failing = new CachedDetail(
                () -> {
                    if (evaluations.incrementAndGet() > 1) {
                        throw new IllegalStateException("boom");
                    }
                    return null;
                },
                Duration.ofSeconds(2),
                Runnable::run,
                now::get);
        assertThat(failing.get()).isNull();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(failing.get()).isEqualTo("the check failed: IllegalStateException");
    }
}
