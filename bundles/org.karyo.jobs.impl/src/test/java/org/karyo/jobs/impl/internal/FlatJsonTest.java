package org.karyo.jobs.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {

    @Test
    void aMapSurvivesTheRoundTripWithEveryCharacterThatNeedsEscaping() {
        Map<String, String> map =
                Map.of("a", "plain", "quote\"", "back\\slash", "lines", "one\ntwo\tthree\u0001", "é", "ü");
        assertThat(FlatJson.decode(FlatJson.encode(map))).isEqualTo(map);
        assertThat(FlatJson.encode(Map.of("b", "2", "a", "1"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    }

    @Test
    void whatPostgresqlPrintsIsReadAndNonStringValuesAsTheirText() {
        assertThat(FlatJson.decode("{\"n\": 12, \"ok\": true, \"gone\": null, \"s\": \"x\\u0041\"}"))
                .containsExactly(Map.entry("n", "12"), Map.entry("ok", "true"), Map.entry("s", "xA"));
        assertThat(FlatJson.decode("{}")).isEmpty();
        assertThat(FlatJson.decode(null)).isEmpty();
    }

    @Test
    void nestedValuesAreRefused() {
        assertThatThrownBy(() -> FlatJson.decode("{\"a\": {\"b\": \"c\"}}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.decode("[1]")).isInstanceOf(IllegalArgumentException.class);
    }
}
