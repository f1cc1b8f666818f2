package org.karyo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {
    private static final Set<String> DOMAIN = Set.of("karyo-content", "karyo-maintenance", "karyo-omics");

    @Test
    void installsTheDesiredThatAreMissingAndUninstallsTheRest() {
        Plan plan =
                Plan.of(List.of("karyo-content", "karyo-omics"), DOMAIN, Set.of("karyo-omics", "karyo-maintenance"));

        assertThat(plan.toInstall()).containsExactly("karyo-content");
        assertThat(plan.toUninstall()).containsExactly("karyo-maintenance");
        assertThat(plan.desired()).containsExactly("karyo-content", "karyo-omics");
        assertThat(plan.unknown()).isEmpty();
        assertThat(plan.nothingToDo()).isFalse();
    }

    @Test
    void nothingToDoWhenTheRequiredAreTheDesired() {
        Plan plan = Plan.of(List.of("karyo-content"), DOMAIN, Set.of("karyo-content"));

        assertThat(plan.nothingToDo()).isTrue();
    }

    @Test
    void unknownNamesAreReportedAndTheValidOnesStillPlanned() {
        Plan plan = Plan.of(List.of("karyo-bogus", "karyo-content", "karyo-core"), DOMAIN, Set.of("karyo-maintenance"));

        assertThat(plan.unknown()).containsExactly("karyo-bogus", "karyo-core");
        assertThat(plan.toInstall()).containsExactly("karyo-content");
        assertThat(plan.toUninstall()).containsExactly("karyo-maintenance");
    }

    @Test
    void aStarWantsEveryDomainFeature() {
        Plan plan = Plan.of(List.of("*"), DOMAIN, Set.of("karyo-content"));

        assertThat(plan.desired()).containsExactly("karyo-content", "karyo-maintenance", "karyo-omics");
        assertThat(plan.toInstall()).containsExactly("karyo-maintenance", "karyo-omics");
        assertThat(plan.toUninstall()).isEmpty();
    }

    @Test
    void anEmptyListUninstallsEveryDomainFeatureButNeverAPlatformOne() {
        Plan plan = Plan.of(List.of(), DOMAIN, Set.of("karyo-content", "karyo-core", "scr"));

        assertThat(plan.toUninstall()).containsExactly("karyo-content");
        assertThat(plan.toInstall()).isEmpty();
    }
}
