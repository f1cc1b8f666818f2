package org.karyo.fhir.impl.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * 10,000 fuzzed inputs (seeded, so a failure reproduces): each parses or throws {@link FhirInputException} with
 * located issues, never anything else. {@code -Dkaryo.fuzz.inputs=N} and {@code -Dkaryo.fuzz.seed=S} change the run;
 * {@link ParserFuzz#main} is the benchmark entry point.
 */
class ParserFuzzTest {

    @Test
    void everyInputParsesOrIsRefusedWithLocatedIssues() {
        long n = Long.getLong("karyo.fuzz.inputs", 10_000);
        long seed = Long.getLong("karyo.fuzz.seed", 20_250_901);
        FhirJson json = new FhirJson();
        ParserFuzz.Stats st = ParserFuzz.run(json, seed, n, false);
        System.out.println("[ParserFuzz] seed " + seed + ": " + st);
        System.out.printf(
                Locale.ROOT,
                "[ParserFuzz] throughput %,.0f inputs/s; peak heap %d MB; HAPI late issues %d%n",
                st.perSecond(),
                ParserFuzz.peakHeapMb(),
                json.lateIssueCount());
        assertThat(st.failures)
                .as("inputs that neither parsed nor gave a FhirInputException")
                .isEmpty();
        assertThat(st.late)
                .as("inputs whose problems only HAPI's parser or the model check found")
                .isEmpty();
        assertThat(st.inputs).isEqualTo(n);
        assertThat(st.parsed).as("some mutations stay valid").isGreaterThan(n / 50);
        assertThat(st.rejected).isGreaterThan(n / 2);
    }
}
