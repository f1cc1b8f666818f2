package org.karyo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.api.security.Declarations.PublicNeed;
import org.karyo.api.security.Declarations.RightNeed;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;

class FiltersAndDeclarationsTest {
    enum Colour {
        RED,
        GREEN
    }

    @Test
    void splitsCommaSeparatedValues() {
        assertThat(Filters.values(" a, b,,c ")).containsExactly("a", "b", "c");
        assertThat(Filters.values(null)).isEmpty();
        assertThat(Filters.values("colour", "RED,GREEN", Colour::valueOf)).isEqualTo(Set.of(Colour.RED, Colour.GREEN));
    }

    @Test
    void unknownFilterValuesNameTheParameter() {
        assertThatThrownBy(() -> Filters.values("colour", "RED,BLUE", Colour::valueOf))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("colour");
                    assertThat(e.errors().get(0).message()).contains("BLUE");
                });
    }

    @Public
    static class Mixed {
        public void inherited() {}

        @RequiresRight("x.manage")
        public void own() {}
    }

    static class Bare {
        public void none() {}

        @Public
        @RequiresRight("x.read")
        public void both() {}
    }

    @Test
    void methodDeclarationOverridesTheClassAndBareMethodsDeclareNothing() throws Exception {
        assertThat(Declarations.of(Mixed.class.getMethod("inherited"))).contains(new PublicNeed());
        assertThat(Declarations.of(Mixed.class.getMethod("own"))).contains(new RightNeed("x.manage"));
        assertThat(Declarations.of(Bare.class.getMethod("none"))).isEmpty();
        assertThatThrownBy(() -> Declarations.of(Bare.class.getMethod("both")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void gateRequestsKnowWritesAndPrefixes() {
        GateRequest r = new GateRequest("PATCH", "/maintenances/3", Caller.ANONYMOUS);
        assertThat(r.isWrite()).isTrue();
        assertThat(r.under("/maintenances")).isTrue();
        assertThat(new GateRequest("GET", "/maintenancesX", Caller.ANONYMOUS).under("/maintenances"))
                .isFalse();
        assertThat(new GateRequest("HEAD", "/x", Caller.ANONYMOUS).isWrite()).isFalse();
    }

    @Test
    void validatorCollectsEveryError() {
        Validator v = new Validator()
                .text(" ", "title", 10)
                .maxLength("x".repeat(11), "page", 10)
                .required(null, "type");
        assertThatThrownBy(v::throwIfInvalid).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactly("title", "page", "type"));
    }

    @Test
    void validatorCollectsTheFieldErrorsOfParsersAndLetsOtherFailuresThrough() {
        Validator v = new Validator();
        Set<Colour> colours = v.collect(() -> Filters.values("colour", "RED,BLUE", Colour::valueOf), Set.of());
        PageRequest page = v.collect(() -> PageRequest.parse("0", null, null, Set.of(), java.util.List.of(), 10), null);
        assertThat(colours).isEmpty();
        assertThat(page).isNull();
        assertThatThrownBy(v::throwIfInvalid).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactly("colour", "limit"));
        assertThatThrownBy(() -> new Validator()
                        .collect(
                                () -> {
                                    throw KaryoException.notFound("thing", 1);
                                },
                                null))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }
}
