package org.karyo.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An audit event that the trail would refuse fails where it is made, in the recording module's own tests. */
class AuditEventTest {

    @Test
    void credentialLikeKeysAreRefusedButTheIdsOfSuchObjectsAreNot() {
        for (String key : List.of("password", "newPassword", "refresh_token", "client_secret", "passwd")) {
            assertThatThrownBy(() ->
                            AuditEvent.success("auth.user.create", "user", "u").with(key, "x"))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + key + "'")
                    .hasMessageNotContaining("=x");
        }
        assertThatCode(() -> AuditEvent.success("auth.token.revoke", "api_token", "t")
                        .with("token_id", "t-1")
                        .with("tokenId", "t-1"))
                .doesNotThrowAnyException();
    }

    @Test
    void valuesAreBoundedAndActionsAreDottedLowerCaseNames() {
        assertThatCode(() -> AuditEvent.success("a.b.c", null, null).with("rights", "r".repeat(1000)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> AuditEvent.success("a.b.c", null, null).with("rights", "r".repeat(1001)))
                .hasMessageContaining("longer than 1000")
                .hasMessageNotContaining("rrr");
        assertThatThrownBy(() -> AuditEvent.success("a.b.c", null, null).with("k", "a\0b"))
                .hasMessageContaining("NUL");
        for (String action : List.of("", "Auth.login", "auth..login", "auth.login.", "auth login", "a".repeat(129))) {
            assertThatThrownBy(() -> AuditEvent.success(action, null, null))
                    .as(action)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AuditEvent.success("content.content.create", "content", 7).objectId())
                .isEqualTo("7");
    }
}
