package org.karyo.rest.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the platform says on the console while it starts and once it is ready. */
class ReadyAnnouncerTest {
    private static final Health.HealthSummary READY = new Health.HealthSummary(true, true, "UP", List.of());

    private static Health.HealthSummary waiting(String... why) {
        return new Health.HealthSummary(true, false, "STARTING", List.of(why));
    }

    @Test
    void oneReadyLineWithTheDocsAddress() {
        ReadyAnnouncer.State state = new ReadyAnnouncer.State();
        assertThat(state.look(waiting("module auth: STARTING"), "http://localhost:8181", 1))
                .isEmpty();
        assertThat(state.look(READY, "http://localhost:8181", 1))
                .containsExactly("Karyo ready — http://localhost:8181/api/docs");
        assertThat(state.look(READY, "http://localhost:8181", 1)).isEmpty();
    }

    @Test
    void aPlatformThatStaysStartingSaysWhyOnceAndAgainWhenItChanges() {
        ReadyAnnouncer.State state = new ReadyAnnouncer.State();
        Health.HealthSummary noKey = waiting("module auth: STARTING: KARYO_MASTER_KEY is not set");
        for (int s = 1; s < ReadyAnnouncer.PATIENCE_SECONDS; s++) {
            assertThat(state.look(noKey, "http://h:1", 1)).as("second " + s).isEmpty();
        }
        assertThat(state.look(noKey, "http://h:1", 1))
                .containsExactly(
                        "Karyo is not ready (STARTING); it waits for:",
                        "  - module auth: STARTING: KARYO_MASTER_KEY is not set");
        Health.HealthSummary noDb = waiting("database: not reachable");
        for (int s = 1; s < ReadyAnnouncer.REPEAT_SECONDS; s++) {
            assertThat(state.look(s % 2 == 0 ? noKey : noDb, "http://h:1", 1))
                    .as("second " + s)
                    .isEmpty();
        }
        assertThat(state.look(noDb, "http://h:1", 1))
                .containsExactly("Karyo is not ready (STARTING); it waits for:", "  - database: not reachable");
        assertThat(state.look(noDb, "http://h:1", 1)).isEmpty();
    }

    @Test
    void theBaseComesFromTheWhiteboardEndpointWithAWildcardAddressReadAsLocalhost() {
        assertThat(ReadyAnnouncer.base(Map.of("osgi.jaxrs.endpoint", new String[] {"http://0.0.0.0:8181/"})))
                .isEqualTo("http://localhost:8181");
        assertThat(ReadyAnnouncer.base(Map.of("osgi.jaxrs.endpoint", List.of("http://10.0.0.5:9000/x/"))))
                .isEqualTo("http://10.0.0.5:9000");
        assertThat(ReadyAnnouncer.base(null)).isEqualTo("http://localhost:8181");
    }
}
