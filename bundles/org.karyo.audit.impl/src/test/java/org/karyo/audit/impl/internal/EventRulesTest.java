package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditEvent.Outcome;
import org.karyo.api.security.Caller;

class EventRulesTest {

    private static final Caller ALICE = Fixtures.caller("u-alice", false, null, false);

    private static AuditEvent withDetail(String key, String value) {
        return new AuditEvent("auth.user.update", "user", "u-1", Outcome.SUCCESS, Map.of(key, value));
    }

    @Test
    void keysNamedLikeCredentialsAreRefusedButIdsOfSuchObjectsAreNot() {
        for (String key : List.of(
                "password",
                "newPassword",
                "PASSWD",
                "client_secret",
                "secretKey",
                "token",
                "refresh_token",
                "apiToken")) {
            assertThatThrownBy(() -> EventRules.check(ALICE, withDetail(key, "x")))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("credential");
        }
        for (String key : List.of("token_id", "tokenId", "secret_id", "reason", "count", "perimeter.id")) {
            assertThatCode(() -> EventRules.check(ALICE, withDetail(key, "x")))
                    .as(key)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void valuesAreShortAndKeysAreIdentifiers() {
        assertThatCode(() -> EventRules.check(ALICE, withDetail("k", "v".repeat(1000))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> EventRules.check(ALICE, withDetail("k", "v".repeat(1001))))
                .hasMessageContaining("longer than 1000")
                .hasMessageNotContaining("vvv");
        assertThatThrownBy(() -> EventRules.check(ALICE, withDetail("k", "a\0b")))
                .hasMessageContaining("NUL");
        for (String key : List.of("", "1st", "with space", "k".repeat(65), "é")) {
            assertThatThrownBy(() -> EventRules.check(ALICE, withDetail(key, "x")))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void actionsAreLowerCaseDottedNames() {
        for (String action : List.of("auth.login.failure", "accesses.access.close", "x", "a_b.c-d.e1")) {
            assertThatCode(() -> EventRules.check(ALICE, AuditEvent.success(action, null, null)))
                    .as(action)
                    .doesNotThrowAnyException();
        }
        for (String action : List.of(
                "", "Auth.login", "auth..login", "auth.login.", ".auth", "auth login", "auth.*", "a".repeat(129))) {
            assertThatThrownBy(() -> EventRules.check(ALICE, AuditEvent.success(action, null, null)))
                    .as(action)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void callerAndObjectAreBounded() {
        assertThatThrownBy(() -> EventRules.check(null, AuditEvent.success("a.b.c", null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventRules.check(ALICE, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventRules.check(
                        Fixtures.caller(" ", false, null, false), AuditEvent.success("a.b.c", null, null)))
                .hasMessageContaining("caller id");
        assertThatThrownBy(() -> EventRules.check(
                        Fixtures.caller("u", false, "x".repeat(256), false), AuditEvent.success("a.b.c", null, null)))
                .hasMessageContaining("impersonator");
        assertThatThrownBy(() -> EventRules.check(ALICE, AuditEvent.success("a.b.c", "t".repeat(65), null)))
                .hasMessageContaining("object type");
        assertThatThrownBy(() -> EventRules.check(ALICE, AuditEvent.success("a.b.c", "t", "i".repeat(256))))
                .hasMessageContaining("object id");
    }

    @Test
    void requestContextIsCutAndBlankIsAbsent() {
        assertThat(EventRules.context(null)).isNull();
        assertThat(EventRules.context("  ")).isNull();
        assertThat(EventRules.context("r-1")).isEqualTo("r-1");
        assertThat(EventRules.context("x".repeat(300))).hasSize(EventRules.MAX_CONTEXT);
    }
}
