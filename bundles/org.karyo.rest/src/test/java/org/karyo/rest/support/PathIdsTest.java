package org.karyo.rest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

class PathIdsTest {
    @Test
    void aPositiveNumberIsAnId() {
        assertThat(PathIds.parse("42", "content")).isEqualTo(42L);
    }

    @Test
    void anythingElseIsNotFoundWithAShortEcho() {
        for (String raw : List.of("abc", "1.5", "0", "-3", " 4", "", "99999999999999999999", "x".repeat(500))) {
            assertThatThrownBy(() -> PathIds.parse(raw, "content"))
                    .as(raw)
                    .isInstanceOfSatisfying(KaryoException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                        assertThat(e.getMessage()).startsWith("content ").hasSizeLessThan(80);
                    });
        }
    }
}
