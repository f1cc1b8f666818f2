package org.karyo.maintenance.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.Caller;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.impl.internal.MaintenanceGate.Transition;

class MaintenanceGateTest {

    private static final Instant T0 = Instant.parse("2030-03-01T10:00:00Z");
    private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");
    private static final List<String> READS = List.of("GET", "HEAD", "OPTIONS");

    private final MutableClock clock = new MutableClock(T0);
    private final List<GatePhase> table = new CopyOnWriteArrayList<>();
    private final MaintenanceGate gate = new MaintenanceGate(
            now -> table.stream().filter(p -> p.end().isAfter(now)).toList(), clock);

    private static GatePhase phase(long id, MaintenanceType type, Instant start, Instant end) {
        return new GatePhase(id, "Upgrade " + id, "Back soon " + id, type, start, end);
    }

    private void phases(GatePhase... phases) {
        table.clear();
        table.addAll(List.of(phases));
        assertThat(gate.refresh()).isTrue();
    }

    private static GateRequest request(String method, String path) {
        return new GateRequest(method, path, Caller.ANONYMOUS);
    }

    private KaryoException refusal(String method, String path) {
        KaryoException e = catchThrowableOfType(() -> gate.admit(request(method, path)), KaryoException.class);
        assertThat(e).as("%s %s is refused", method, path).isNotNull();
        return e;
    }

    private void admitted(String method, String path) {
        assertThatCode(() -> gate.admit(request(method, path)))
                .as("%s %s is admitted", method, path)
                .doesNotThrowAnyException();
    }

    @Test
    void withoutPhasesEverythingIsAdmitted() {
        phases();
        for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            admitted(m, "/webcontent/contents");
        }
    }

    @Test
    void partialRefusesWritesButServesReads() {
        phases(phase(1, MaintenanceType.PARTIAL, T0.minusSeconds(60), T0.plusSeconds(600)));
        for (String m : READS) {
            admitted(m, "/webcontent/contents/3");
        }
        for (String m : WRITES) {
            KaryoException e = refusal(m, "/webcontent/contents/3");
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.type()).isEqualTo("maintenance");
        }
    }

    @Test
    void fullRefusesEveryRequest() {
        phases(phase(1, MaintenanceType.FULL, T0.minusSeconds(60), T0.plusSeconds(600)));
        for (String m : List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")) {
            assertThat(refusal(m, "/webcontent/contents").extensions()).containsEntry("type", "full");
        }
    }

    @Test
    void refusalCarriesThePhaseForClients() {
        phases(phase(7, MaintenanceType.PARTIAL, T0.minusSeconds(60), T0.plusSeconds(600)));
        KaryoException e = refusal("POST", "/webcontent/contents");
        assertThat(e.getMessage()).isEqualTo("Back soon 7");
        assertThat(e.extensions())
                .containsEntry("subject", "Upgrade 7")
                .containsEntry("message", "Back soon 7")
                .containsEntry("type", "partial")
                .containsEntry("maintenance_start", "2030-03-01T09:59:00Z")
                .containsEntry("maintenance_end", "2030-03-01T10:10:00Z")
                .containsEntry("active", true);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void aPhaseWithoutMessageIsAnnouncedByItsSubject() {
        phases(new GatePhase(8, "Database upgrade", null, MaintenanceType.FULL, T0, T0.plusSeconds(60)));
        KaryoException e = refusal("GET", "/cohorts");
        assertThat(e.getMessage()).isEqualTo("Database upgrade");
        assertThat(e.extensions()).containsEntry("subject", "Database upgrade").doesNotContainKey("message");
    }

    @Test
    void maintenanceHealthAndAuthStayOpenDuringFullMaintenance() {
        phases(phase(1, MaintenanceType.FULL, T0.minusSeconds(60), T0.plusSeconds(600)));
        for (String m : List.of("GET", "POST", "PATCH", "DELETE")) {
            admitted(m, "/maintenances");
            admitted(m, "/maintenances/4");
            admitted(m, "/maintenances/next");
        }
        admitted("GET", "/health");
        admitted("GET", "/health/ready");
        admitted("POST", "/auth/login");
        admitted("POST", "/auth");
        refusal("GET", "/maintenancesx");
        refusal("GET", "/healthz");
        refusal("POST", "/authority");
        refusal("GET", "/webcontent/maintenances");
    }

    @Test
    void phasesStartAndEndOnTheirOwnAsTheClockMoves() {
        Instant start = T0.plusSeconds(600);
        Instant end = T0.plusSeconds(1200);
        phases(phase(1, MaintenanceType.PARTIAL, start, end));
        admitted("POST", "/cohorts");
        clock.set(start.minusNanos(1000));
        admitted("POST", "/cohorts");
        clock.set(start); // start is inclusive
        refusal("POST", "/cohorts");
        admitted("GET", "/cohorts");
        clock.set(end.minusNanos(1000));
        refusal("POST", "/cohorts");
        clock.set(end); // end is exclusive
        admitted("POST", "/cohorts");
    }

    @Test
    void retryAfterIsTheTimeUntilTheEndRoundedUpToSeconds() {
        phases(phase(1, MaintenanceType.FULL, T0.minusSeconds(1), T0.plusMillis(90_500)));
        assertThat(refusal("GET", "/x").retryAfter()).isEqualTo(Duration.ofSeconds(91));
        clock.set(T0.plusMillis(90_400));
        assertThat(refusal("GET", "/x").retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullBeatsPartialWhenBothAreActive() {
        GatePhase partial = phase(1, MaintenanceType.PARTIAL, T0.minusSeconds(60), T0.plusSeconds(3600));
        GatePhase full = phase(2, MaintenanceType.FULL, T0.minusSeconds(30), T0.plusSeconds(600));
        phases(partial, full);

        KaryoException read = refusal("GET", "/cohorts");
        assertThat(read.extensions()).containsEntry("type", "full").containsEntry("subject", "Upgrade 2");
        assertThat(read.retryAfter())
                .as("reads are served again when the full phase ends")
                .isEqualTo(Duration.ofSeconds(600));

        KaryoException write = refusal("POST", "/cohorts");
        assertThat(write.extensions()).containsEntry("type", "full");
        assertThat(write.retryAfter()).as("writes wait for the latest end").isEqualTo(Duration.ofSeconds(3600));

        clock.set(T0.plusSeconds(600));
        admitted("GET", "/cohorts");
        assertThat(refusal("POST", "/cohorts").extensions()).containsEntry("type", "partial");
    }

    @Test
    void amongPhasesOfOneTypeTheLatestEndWins() {
        phases(
                phase(1, MaintenanceType.PARTIAL, T0.minusSeconds(60), T0.plusSeconds(300)),
                phase(2, MaintenanceType.PARTIAL, T0.minusSeconds(30), T0.plusSeconds(900)),
                phase(3, MaintenanceType.PARTIAL, T0.minusSeconds(10), T0.plusSeconds(600)));
        KaryoException e = refusal("DELETE", "/cohorts/1");
        assertThat(e.extensions()).containsEntry("subject", "Upgrade 2");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void retryAfterFollowsAPhaseThatStartsWhenTheCurrentOneEnds() {
        phases(
                phase(1, MaintenanceType.PARTIAL, T0.minusSeconds(60), T0.plusSeconds(300)),
                phase(2, MaintenanceType.FULL, T0.plusSeconds(300), T0.plusSeconds(900)),
                phase(3, MaintenanceType.PARTIAL, T0.plusSeconds(2000), T0.plusSeconds(3000)));
        KaryoException e = refusal("POST", "/cohorts");
        assertThat(e.extensions()).containsEntry("subject", "Upgrade 1");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(900));
        admitted("GET", "/cohorts");
    }

    @Test
    void aRefreshPicksUpNewChangedAndDeletedPhases() {
        phases();
        admitted("POST", "/cohorts");

        table.add(phase(1, MaintenanceType.PARTIAL, T0, T0.plusSeconds(60)));
        admitted("POST", "/cohorts"); // not yet re-read
        gate.refresh();
        refusal("POST", "/cohorts");

        table.set(0, phase(1, MaintenanceType.FULL, T0, T0.plusSeconds(60)));
        gate.refresh();
        refusal("GET", "/cohorts");

        table.clear();
        gate.refresh();
        admitted("GET", "/cohorts");
        admitted("POST", "/cohorts");
    }

    @Test
    void whenTheDatabaseCannotBeReadTheKnownPhasesStayInForce() {
        List<GatePhase> loaded = new ArrayList<>(List.of(phase(1, MaintenanceType.FULL, T0, T0.plusSeconds(60))));
        boolean[] fail = {false};
        MaintenanceGate g = new MaintenanceGate(
                now -> {
                    if (fail[0]) {
                        throw new IllegalStateException("database down");
                    }
                    return loaded;
                },
                clock);
        assertThat(g.refresh()).isTrue();
        fail[0] = true;
        assertThat(g.refresh()).isFalse();
        assertThat(g.phases()).hasSize(1);
        assertThatCode(() -> g.admit(request("GET", "/x"))).isInstanceOf(KaryoException.class);
        clock.set(T0.plusSeconds(60));
        assertThatCode(() -> g.admit(request("GET", "/x"))).doesNotThrowAnyException();
    }

    @Test
    void transitionsAreReportedOnceWhenPhasesStartAndEnd() {
        phases(
                phase(1, MaintenanceType.PARTIAL, T0.plusSeconds(10), T0.plusSeconds(20)),
                phase(2, MaintenanceType.FULL, T0.plusSeconds(15), T0.plusSeconds(30)));
        assertThat(gate.transitions()).isEmpty();
        assertThat(gate.nextTransition()).isEqualTo(T0.plusSeconds(10));

        clock.set(T0.plusSeconds(10));
        assertThat(gate.transitions()).containsExactly(new Transition(1, MaintenanceType.PARTIAL, true));
        assertThat(gate.transitions()).isEmpty();
        assertThat(gate.nextTransition()).isEqualTo(T0.plusSeconds(15));

        clock.set(T0.plusSeconds(20));
        assertThat(gate.transitions())
                .containsExactly(
                        new Transition(1, MaintenanceType.PARTIAL, false),
                        new Transition(2, MaintenanceType.FULL, true));

        clock.set(T0.plusSeconds(30));
        assertThat(gate.transitions()).containsExactly(new Transition(2, MaintenanceType.FULL, false));
        assertThat(gate.nextTransition()).isNull();
    }

    @Test
    void aPhaseDeletedWhileActiveIsReportedOverAtTheNextRefresh() {
        phases(phase(1, MaintenanceType.FULL, T0, T0.plusSeconds(60)));
        assertThat(gate.announced()).containsExactly(1L);
        table.clear();
        gate.refresh();
        assertThat(gate.announced()).isEmpty();
        admitted("GET", "/x");
    }

    @Test
    void theSchedulerWakesAtEachTransitionAndStopsOnDeactivation() {
        Instant now = Instant.now();
        List<GatePhase> loaded =
                List.of(new GatePhase(5, "s", null, MaintenanceType.PARTIAL, now.plusMillis(300), now.plusMillis(700)));
        MaintenanceGate g = new MaintenanceGate(n -> loaded, Clock.systemUTC());
        try {
            g.start();
            assertThat(g.running()).isTrue();
            await(() -> g.announced().contains(5L), "the phase is announced when it starts");
            await(() -> g.announced().isEmpty(), "the phase is announced over when it ends");
        } finally {
            g.stop();
        }
        assertThat(g.running()).isFalse();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
