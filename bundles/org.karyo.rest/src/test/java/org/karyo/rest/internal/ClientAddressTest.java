package org.karyo.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which address the platform records as the client's: spoofing X-Forwarded-For must not work. */
class ClientAddressTest {
    private final EdgeFilter edge = new EdgeFilter(TestSettings.settings("10.0.0.0/8", "", 1024));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(edge.clientAddress("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(edge.clientAddress("203.0.113.7", null)).isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheNearestUntrustedHop() {
        assertThat(edge.clientAddress("10.0.0.2", "198.51.100.1")).isEqualTo("198.51.100.1");
        // the leftmost entry is whatever the client claimed; the proxies appended the real hops on the right
        assertThat(edge.clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.9"))
                .isEqualTo("198.51.100.1");
        assertThat(edge.clientAddress("10.0.0.2", "10.0.0.8, 10.0.0.9")).isEqualTo("10.0.0.8");
    }

    @Test
    void garbageInTheHeaderStopsTheWalk() {
        assertThat(edge.clientAddress("10.0.0.2", "<script>, 10.0.0.9")).isEqualTo("10.0.0.9");
        assertThat(edge.clientAddress(null, "198.51.100.1")).isEqualTo("unknown");
    }
}
