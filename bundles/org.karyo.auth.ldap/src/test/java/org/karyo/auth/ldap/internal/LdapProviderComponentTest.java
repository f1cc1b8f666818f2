package org.karyo.auth.ldap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.auth.api.AuthenticationProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class LdapProviderComponentTest {

    @Test
    void registersTheProviderWithItsRankingButNoConfigurationSecret() {
        Map<String, Object> registered = new HashMap<>();
        boolean[] unregistered = {false};
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered[0] = true;
                    }
                    return null;
                });
        BundleContext context = (BundleContext)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("registerService") && a[0] == AuthenticationProvider.class) {
                        registered.put("service", a[1]);
                        Dictionary<?, ?> props = (Dictionary<?, ?>) a[2];
                        for (Object key : Collections.list(props.keys())) {
                            registered.put((String) key, props.get(key));
                        }
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });

        LdapProviderComponent component = new LdapProviderComponent(
                context,
                LdapAuthenticationProviderTest.config(Map.of(
                        "url", "ldap://ldap.example.org",
                        "search.base", "dc=example,dc=org",
                        "service.dn", "cn=karyo,dc=example,dc=org",
                        "service.password", "top-secret",
                        "service.ranking", 250,
                        "name", "corp-ldap")));

        assertThat(registered).containsOnlyKeys("service", "karyo.auth.provider", "service.ranking");
        assertThat(registered).containsEntry("service.ranking", 250).containsEntry("karyo.auth.provider", "corp-ldap");
        assertThat(((AuthenticationProvider) registered.get("service")).name()).isEqualTo("corp-ldap");
        assertThat(List.copyOf(registered.values())).doesNotContain("top-secret");

        component.deactivate();
        assertThat(unregistered[0]).isTrue();
    }
}
