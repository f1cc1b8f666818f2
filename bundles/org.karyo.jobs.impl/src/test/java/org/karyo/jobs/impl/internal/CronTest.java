package org.karyo.jobs.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void aFiringOnTimeLateOrAFewMillisecondsEarlyBelongsToItsCronTime() {
        Cron nightly = Cron.parse("0 30 3 * * ?", UTC);
        assertThat(nightly.slot(t("2026-01-01T03:30:00Z"))).contains(t("2026-01-01T03:30:00Z"));
        assertThat(nightly.slot(t("2026-01-01T03:30:00.950Z"))).contains(t("2026-01-01T03:30:00Z"));
        assertThat(nightly.slot(t("2026-01-01T03:29:59.998Z"))).contains(t("2026-01-01T03:30:00Z"));
        assertThat(nightly.slot(t("2026-01-01T04:10:00Z"))).contains(t("2026-01-01T03:30:00Z"));
        assertThat(nightly.slot(t("2026-01-01T03:29:00Z"))).contains(t("2025-12-31T03:30:00Z"));

        Cron everySecond = Cron.parse("* * * * * ?", UTC);
        assertThat(everySecond.slot(t("2026-01-01T10:05:00.300Z"))).contains(t("2026-01-01T10:05:00Z"));
        assertThat(everySecond.slot(t("2026-01-01T10:04:59.990Z"))).contains(t("2026-01-01T10:05:00Z"));
    }

    @Test
    void twoNodesWhoseClocksDifferBySecondsNameTheSameFiring() {
        Cron every5 = Cron.parse("0 0/5 * * * ?", UTC);
        // node A fires on its clock's 10:05:00; node B's clock is 2.4 s behind, so it fires 2.4 s later (real time)
        Instant a = t("2026-01-01T10:05:00.003Z");
        Instant b = t("2026-01-01T10:05:00.010Z"); // B's own clock reads about 10:05:00 when it fires
        assertThat(every5.slot(a)).isEqualTo(every5.slot(b)).contains(t("2026-01-01T10:05:00Z"));
    }

    @Test
    void theNextFiringIsStrictlyAfterAndFollowsTheZone() {
        Cron nightly = Cron.parse("0 30 3 * * ?", PARIS);
        assertThat(nightly.next(t("2026-01-01T02:30:00Z"))).contains(t("2026-01-02T02:30:00Z"));
        assertThat(nightly.next(t("2026-07-01T00:00:00Z"))).contains(t("2026-07-01T01:30:00Z"));
        Cron everySecond = Cron.parse("* * * * * ?", UTC);
        assertThat(everySecond.next(t("2026-01-01T10:05:00.500Z"))).contains(t("2026-01-01T10:05:01Z"));
    }

    @Test
    void aWrongExpressionIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Cron.parse("*/5 * * * *", UTC)).hasMessageContaining("6 or 7 fields");
        assertThatThrownBy(() -> Cron.parse("0 0 25 * * ?", UTC)).hasMessageContaining("25");
        assertThatThrownBy(() -> Cron.parse(null, UTC)).hasMessageContaining("6 or 7 fields");
        assertThat(Cron.parse("  0  15 4 * * ?  ", UTC).expression()).isEqualTo("0 15 4 * * ?");
    }
}
