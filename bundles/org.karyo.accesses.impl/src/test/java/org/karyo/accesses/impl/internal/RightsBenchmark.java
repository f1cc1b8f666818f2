package org.karyo.accesses.impl.internal;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.karyo.accesses.api.AccessRights;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of rights resolution against issue 3's targets for a user with 1,000 accesses on a 10,000-node tree:
 * under 5 ms uncached, under 0.1 ms cached. The data set is {@link BenchmarkFixture}'s (seed 42, 200 background
 * users), on a fresh real PostgreSQL database from {@link org.karyo.testing.TestDatabase} (the server of
 * {@code KARYO_TEST_DB_URL}, else the embedded one), with the module wired by hand as in {@link RightsAtScaleTest}.
 *
 * <ul>
 *   <li>{@code computeUncached}: {@link RightsResolverImpl#compute(String)}, which skips the user cache: the user's
 *       accesses query plus the in-memory work (the tree and the catalog of rights are loaded once, as in production).
 *   <li>{@code rightsOfCached}: {@link RightsResolverImpl#rightsOf(String)} on a warm cache.
 *   <li>{@code hasRightOnCached}: {@code rightsOf(user).hasOn(READ_PATIENT_NOMINATIVE, leaf)} on a warm cache, for a
 *       leaf (level 5) the user does not hold the right on, so the check walks every ancestor (its worst case).
 * </ul>
 *
 * Not a unit test: run {@code docs/benchmarks/rights.sh} (JMH options given to it override the defaults here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RightsBenchmark {

    private TestEnv env;
    private RightsResolverImpl resolver;
    private String userId;
    private long deepNode;

    @Setup(Level.Trial)
    public void setUp() {
        env = new TestEnv(Map.of("rights_cache_ttl_seconds", 3600));
        BenchmarkFixture.Data data = BenchmarkFixture.generate(env.ds, 10_000, 1_000, 200, 42);
        resolver = env.resolver;
        userId = data.userId();
        UserRightsImpl rights = resolver.rightsOf(userId);
        Tree tree = resolver.tree();
        if (tree.size() != 10_000 || rights.grants().size() != 1_000) {
            throw new IllegalStateException("unexpected fixture: " + tree.size() + " nodes, "
                    + rights.grants().size() + " valid accesses");
        }
        deepNode = 0;
        for (int i = tree.size() - 1; i >= 0 && deepNode == 0; i--) {
            long id = tree.id(i);
            if (tree.ancestorIds(i).length == 4 && !rights.hasOn(AccessRights.READ_PATIENT_NOMINATIVE, id)) {
                deepNode = id;
            }
        }
        if (deepNode == 0) {
            throw new IllegalStateException("no level-5 node without the right");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        env.close();
    }

    @Benchmark
    public UserRightsImpl computeUncached() {
        return resolver.compute(userId);
    }

    @Benchmark
    public UserRightsImpl rightsOfCached() {
        return resolver.rightsOf(userId);
    }

    @Benchmark
    public boolean hasRightOnCached() {
        return resolver.rightsOf(userId).hasOn(AccessRights.READ_PATIENT_NOMINATIVE, deepNode);
    }

    /** Runs this class's benchmarks; JMH command-line options (for example {@code -f 2 -rf json}) override. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include("^" + Pattern.quote(RightsBenchmark.class.getName() + ".") + ".*");
        }
        new Runner(options.build()).run();
    }
}
