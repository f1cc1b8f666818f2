package org.karyo.auth.ldap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10 §3: installed without its configuration, the LDAP plug-in says it is inert. */
class LdapStatusTest {

    @Test
    void withoutConfigurationItSaysItIsInertWithoutHoldingReadinessBack() {
        LdapStatus status = new LdapStatus(Map.of("component.name", "x", "component.id", 1L));
        assertThat(status.ready()).isTrue();
        assertThat(status.detail()).contains("not configured").contains("etc/org.karyo.auth.ldap.cfg");
        assertThat(status.name()).isEqualTo("auth-ldap");
    }

    @Test
    void withConfigurationItHasNothingToSay() {
        LdapStatus status = new LdapStatus(Map.of("service.pid", "org.karyo.auth.ldap", "url", "ldap://x"));
        assertThat(status.ready()).isTrue();
        assertThat(status.detail()).isNull();
    }
}
