package org.karyo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class BundlesReadinessTest {

    private static BundlesReadiness.State bundle(String name, int state) {
        return new BundlesReadiness.State(name, state, false, true, 80);
    }

    @Test
    void aFrameworkBelowItsBeginningStartLevelIsStillStarting() {
        assertThat(BundlesReadiness.problem(60, 100, List.of(bundle("org.karyo.rest", Bundle.ACTIVE))))
                .isEqualTo("starting bundles (start level 60 of 100)");
    }

    @Test
    void aKaryoBundleMeantToRunThatIsNotActiveIsNamed() {
        assertThat(BundlesReadiness.problem(
                        100,
                        100,
                        List.of(
                                bundle("org.karyo.rest", Bundle.ACTIVE),
                                bundle("org.karyo.jobs.rest", Bundle.STARTING),
                                bundle("org.karyo.content.rest", Bundle.RESOLVED))))
                .isEqualTo(
                        "bundles not active yet: org.karyo.content.rest (not active), org.karyo.jobs.rest (starting)");
    }

    @Test
    void fragmentsStoppedBundlesAndLaterStartLevelsAreNotAwaited() {
        assertThat(BundlesReadiness.problem(
                        100,
                        100,
                        List.of(
                                bundle("org.karyo.rest", Bundle.ACTIVE),
                                new BundlesReadiness.State("org.karyo.fragment", Bundle.RESOLVED, true, true, 80),
                                new BundlesReadiness.State("org.karyo.stopped", Bundle.RESOLVED, false, false, 80),
                                new BundlesReadiness.State("org.karyo.later", Bundle.RESOLVED, false, true, 120))))
                .isNull();
    }

    @Test
    void theBeginningLevelIsReadFromTheFrameworkProperty() {
        assertThat(BundlesReadiness.beginning("100")).isEqualTo(100);
        assertThat(BundlesReadiness.beginning(null)).isEqualTo(1);
        assertThat(BundlesReadiness.beginning("x")).isEqualTo(1);
    }
}
