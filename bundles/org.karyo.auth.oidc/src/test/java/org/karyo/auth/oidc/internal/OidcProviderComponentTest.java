package org.karyo.auth.oidc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.auth.api.IdentityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class OidcProviderComponentTest {

    @Test
    void registersOneProviderWithoutTheClientSecretInItsPropertiesAndWithoutNetworkIo() {
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
                    if (m.getName().equals("registerService") && a[0] == IdentityProvider.class) {
                        registered.put("service", a[1]);
                        Dictionary<?, ?> props = (Dictionary<?, ?>) a[2];
                        for (Object key : Collections.list(props.keys())) {
                            registered.put((String) key, props.get(key));
                        }
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });

        // an issuer nobody answers at: activation must not care
        OidcProviderComponent component = new OidcProviderComponent(
                context,
                OidcIdentityProviderTest.config(Map.of(
                        "name", "aphp",
                        "issuer", "https://idp.invalid/realms/aphp",
                        "client.id", "karyo",
                        "client.secret", "top-secret",
                        "auto.provision", true)));

        assertThat(registered)
                .containsOnlyKeys("service", "karyo.auth.provider", "issuer", "client.id", "scopes", "auto.provision");
        assertThat(registered).containsEntry("karyo.auth.provider", "aphp").containsEntry("auto.provision", true);
        IdentityProvider provider = (IdentityProvider) registered.get("service");
        assertThat(provider.name()).isEqualTo("aphp");
        assertThat(provider.autoProvision()).isTrue();
        assertThat(List.copyOf(registered.values())).doesNotContain("top-secret");

        component.deactivate();
        assertThat(unregistered[0]).isTrue();
    }
}
