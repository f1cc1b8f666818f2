package org.karyo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageRequestTest {
    private static final Set<String> ORDERABLE = Set.of("title", "created_at");
    private static final List<Sort> DEFAULT = List.of(new Sort("created_at", true));

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        PageRequest p = PageRequest.parse(null, null, null, ORDERABLE, DEFAULT, 100);
        assertThat(p).isEqualTo(new PageRequest(20, 0, DEFAULT));
    }

    @Test
    void parsesOrderingWithDirectionsAndDropsRepeats() {
        PageRequest p = PageRequest.parse("5", "10", "-title, created_at,title", ORDERABLE, DEFAULT, 100);
        assertThat(p.ordering()).containsExactly(new Sort("title", true), new Sort("created_at", false));
        assertThat(p.limit()).isEqualTo(5);
        assertThat(p.offset()).isEqualTo(10);
    }

    @Test
    void namesEveryBadParameter() {
        assertThatThrownBy(() -> PageRequest.parse("0", "-1", "password", ORDERABLE, DEFAULT, 100))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit", "offset", "ordering");
                });
    }

    @Test
    void rejectsNonNumbersAndLimitsAboveTheMaximum() {
        assertThatThrownBy(() -> PageRequest.parse("abc", null, null, ORDERABLE, DEFAULT, 100))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors().get(0).message()).contains("integer"));
        assertThatThrownBy(() -> PageRequest.parse("101", null, null, ORDERABLE, DEFAULT, 100))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("limit"));
    }
}
