package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

class BackoffTest {
    private Fixture f;
    private Backoff backoff;

    @BeforeEach
    void setUp() {
        f = new Fixture();
        backoff = f.backoff;
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void userKeysFailFiveTimesFreelyThenWaitLongerAndLonger() {
        for (int i = 0; i < 5; i++) {
            backoff.check("user:u1");
            backoff.failure("user:u1");
        }
        backoff.check("user:u1");
        backoff.failure("user:u1");
        assertThat(retryAfter("user:u1")).isEqualTo(Duration.ofSeconds(1));
        f.clock.advance(Duration.ofSeconds(1));
        backoff.check("user:u1");
        backoff.failure("user:u1");
        assertThat(retryAfter("user:u1")).isEqualTo(Duration.ofSeconds(2));
        f.clock.advance(Duration.ofSeconds(2));
        backoff.failure("user:u1");
        assertThat(retryAfter("user:u1")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theDelayIsCappedAndExpiresNeverALockOut() {
        for (int i = 0; i < 40; i++) {
            backoff.failure("user:u1");
        }
        assertThat(retryAfter("user:u1")).isEqualTo(Duration.ofMinutes(15));
        f.clock.advance(Duration.ofMinutes(15));
        assertThatCode(() -> backoff.check("user:u1")).doesNotThrowAnyException();
    }

    @Test
    void keysAreIndependentAndIpKeysHaveTwentyFreeAttempts() {
        for (int i = 0; i < 6; i++) {
            backoff.failure("user:u1");
        }
        assertThat(retryAfter("user:u1")).isPositive();
        assertThatCode(() -> backoff.check("user:u2")).doesNotThrowAnyException();
        for (int i = 0; i < 20; i++) {
            backoff.failure("ip:192.0.2.1");
        }
        assertThatCode(() -> backoff.check("ip:192.0.2.1")).doesNotThrowAnyException();
        backoff.failure("ip:192.0.2.1");
        assertThat(retryAfter("ip:192.0.2.1")).isEqualTo(Duration.ofSeconds(1));
        assertThatCode(() -> backoff.check("ip:192.0.2.2")).doesNotThrowAnyException();
    }

    @Test
    void successClearsTheCountAndAQuietHourStartsItAgain() {
        for (int i = 0; i < 5; i++) {
            backoff.failure("user:u1");
        }
        backoff.success("user:u1");
        backoff.failure("user:u1");
        assertThatCode(() -> backoff.check("user:u1")).doesNotThrowAnyException();

        for (int i = 0; i < 5; i++) {
            backoff.failure("user:u2");
        }
        f.clock.advance(Duration.ofMinutes(61));
        backoff.failure("user:u2");
        assertThatCode(() -> backoff.check("user:u2")).doesNotThrowAnyException();
    }

    @Test
    void failuresSurviveARestart() {
        for (int i = 0; i < 7; i++) {
            backoff.failure("user:u1");
        }
        Backoff restarted = new Backoff(f.db.dataSource(), f.db.unitOfWork(), f.audit, f.settings, f.clock);
        assertThat(retryAfter(restarted, "user:u1")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void purgeDropsOldRows() throws Exception {
        backoff.failure("user:u1");
        f.clock.advance(Duration.ofHours(2));
        backoff.purge();
        try (var c = f.db.dataSource().getConnection();
                var rs = c.createStatement().executeQuery("select count(*) from karyo_auth.login_failures")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private Duration retryAfter(String key) {
        return retryAfter(backoff, key);
    }

    private static Duration retryAfter(Backoff b, String key) {
        KaryoException e = Fixture.failure(() -> b.check(key));
        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_REQUESTS);
        return e.retryAfter();
    }
}
