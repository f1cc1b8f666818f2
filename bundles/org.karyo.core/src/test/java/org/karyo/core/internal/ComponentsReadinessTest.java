package org.karyo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ComponentsReadinessTest {

    private static ComponentDescriptionDTO description() {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = "org.karyo.content.rest.internal.ContentResource";
        d.bundle = new BundleDTO();
        d.bundle.symbolicName = "org.karyo.content.rest";
        ReferenceDTO ref = new ReferenceDTO();
        ref.name = "contents";
        ref.interfaceName = "org.karyo.content.api.ContentService";
        d.references = new ReferenceDTO[] {ref};
        return d;
    }

    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        return c;
    }

    @Test
    void aComponentWaitingForAServiceIsNamedWithTheService() {
        ComponentConfigurationDTO c = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "contents";
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};

        assertThat(ComponentsReadiness.problem(description(), c))
                .isEqualTo("ContentResource (org.karyo.content.rest) waits for ContentService");
    }

    @Test
    void aFailedActivationIsNamedWithTheFirstLineOfItsFailure() {
        ComponentConfigurationDTO c = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        c.failure = "java.lang.IllegalArgumentException: max.page.size must be at least 20\n\tat org.karyo...";

        assertThat(ComponentsReadiness.problem(description(), c))
                .isEqualTo("ContentResource (org.karyo.content.rest) failed to activate:"
                        + " java.lang.IllegalArgumentException: max.page.size must be at least 20");
    }

    @Test
    void aRootCauseIsNamedBeforeTheFailuresItCauses() {
        java.util.List<String> problems = new java.util.ArrayList<>(java.util.List.of(
                "AuthResource (org.karyo.auth.rest) failed to activate: java.lang.InstantiationException: Unable to"
                        + " get service for reference tokens",
                "Sessions (org.karyo.auth.impl) waits for SchemaReady",
                "MasterKey (org.karyo.auth.impl) failed to activate: java.lang.IllegalStateException:"
                        + " KARYO_MASTER_KEY is not set"));
        problems.sort(java.util.Comparator.comparing(ComponentsReadiness::consequence));
        assertThat(problems.get(0)).startsWith("MasterKey");
    }

    @Test
    void runningComponentsAndOnesWaitingForTheirConfigurationAreFine() {
        assertThat(ComponentsReadiness.problem(description(), configuration(ComponentConfigurationDTO.ACTIVE)))
                .isNull();
        assertThat(ComponentsReadiness.problem(description(), configuration(ComponentConfigurationDTO.SATISFIED)))
                .isNull();
        assertThat(ComponentsReadiness.problem(
                        description(), configuration(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION)))
                .isNull();
    }
}
