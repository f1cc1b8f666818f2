package org.karyo.projects.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectsApiTest {

    @Test
    void onlyAGivenConsentAllowsGenotypes() {
        assertThat(ConsentState.GIVEN.allowsGenotypes()).isTrue();
        assertThat(List.of(ConsentState.PENDING, ConsentState.WITHDRAWN, ConsentState.EXPIRED))
                .noneMatch(ConsentState::allowsGenotypes);
    }

    @Test
    void participantRefsAndParticipantsHoldImmutableLists() {
        List<String> samples = new ArrayList<>(List.of("NA1"));
        ParticipantRef ref = new ParticipantRef(1, 2, "I-P-1", samples, ConsentState.GIVEN);
        samples.add("NA2");
        assertThat(ref.sampleIds()).containsExactly("NA1");
        assertThatThrownBy(() -> ref.sampleIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aProjectKnowsWhatOtherModulesSeeOfIt() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Project p = new Project(
                3,
                "P1",
                "Cohort",
                null,
                ProjectStatus.ACTIVE,
                LocalDate.of(2025, 1, 1),
                null,
                true,
                4,
                "I1",
                5,
                6,
                0,
                t,
                t,
                1);
        assertThat(p.ref()).isEqualTo(new ProjectRef(3, "P1", "Cohort", 6, 4, true));
    }

    @Test
    void everyRightKeyStartsWithTheModule() {
        assertThat(List.of(
                        ProjectRights.PROJECT_READ,
                        ProjectRights.PROJECT_MANAGE,
                        ProjectRights.PARTICIPANT_READ_NOMINATIVE,
                        ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED,
                        ProjectRights.PARTICIPANT_MANAGE))
                .allMatch(k -> k.startsWith(ProjectRights.MODULE + "."));
    }
}
