package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.UserRights;

/**
 * Rights of a user with 1,000 accesses on a 10,000-node tree, the fixture of the rights benchmark: computed and cached
 * rights agree, checks agree with scopes over every node, and the counters of the whole tree are recounted. How fast
 * this is, is measured by the JMH benchmark ({@link RightsBenchmark}, {@code docs/benchmarks/rights.sh}), never here.
 */
class RightsAtScaleTest {

    private static TestEnv env;
    private static BenchmarkFixture.Data data;

    @BeforeAll
    static void fixture() {
        env = new TestEnv(Map.of("rights_cache_ttl_seconds", 3600));
        data = BenchmarkFixture.generate(env.ds, 10_000, 1_000, 200, 42);
    }

    @AfterAll
    static void drop() {
        env.close();
    }

    @Test
    void theFixtureHasTheAdvertisedSize() {
        assertThat(env.resolver.tree().size()).isEqualTo(10_000);
        UserRightsImpl r = env.resolver.compute(data.userId());
        assertThat(r.grants()).hasSize(1_000);
        assertThat(r.scope(AccessRights.READ_PATIENT_NOMINATIVE).perimeterIds().length)
                .isGreaterThan(1_000);
    }

    @Test
    void cachedRightsAreTheComputedRightsAndAreReused() {
        String user = data.userId();
        UserRights computed = env.resolver.compute(user);
        UserRightsImpl cached = env.resolver.rightsOf(user);

        assertThat(cached.userId()).isEqualTo(user);
        assertThat(cached.scope(AccessRights.READ_PATIENT_NOMINATIVE).perimeterIds())
                .containsExactly(
                        computed.scope(AccessRights.READ_PATIENT_NOMINATIVE).perimeterIds());
        assertThat(env.resolver.rightsOf(user)).as("served from the cache").isSameAs(cached);
    }

    @Test
    void checksOnEveryNodeAgreeWithTheScope() {
        UserRightsImpl r = env.resolver.rightsOf(data.userId());
        int held = 0;
        for (long id : env.resolver.tree().allIds()) {
            if (r.hasOn(AccessRights.READ_PATIENT_NOMINATIVE, id)) {
                held++;
            }
        }
        assertThat(held).isEqualTo(r.scope(AccessRights.READ_PATIENT_NOMINATIVE).perimeterIds().length);

        long[] visible = Rules.visibleIds(r, env.resolver.tree());
        assertThat(Rules.visibleIds(r, env.resolver.tree())).as("remembered").isSameAs(visible);
        assertThat(visible.length).isGreaterThanOrEqualTo(held);
    }

    @Test
    void theCountersOfTheWholeTreeAreRecounted() {
        env.accesses.recountUsers(); // what every access write runs in its transaction
        assertThat(env.count("SELECT max(count_allowed_users_above_levels) FROM karyo_accesses.perimeters"))
                .isPositive();
    }
}
