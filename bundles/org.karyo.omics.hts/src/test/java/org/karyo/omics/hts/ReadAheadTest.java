package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries whose ranged reads are inflated ahead on another thread: the same records as tabix, errors of the file
 * reach the caller, a refusing executor only costs the overlap, and a query that stops early stops its read-ahead.
 */
class ReadAheadTest {

    @TempDir
    static Path dir;

    static Path vcf;
    static GenomicIndex index;

    private ThreadPoolExecutor pool;
    private final AtomicInteger started = new AtomicInteger();

    @BeforeAll
    static void generate() throws IOException {
        // large enough that one contig spans several MB of BGZF: ranged reads of 1 MiB and more are read ahead
        vcf = Tools.bgzip(
                Fixtures.vcf(dir.resolve("big.vcf"), new Random(7), 250_000, Fixtures.CONTIGS, 4),
                dir.resolve("big.vcf.gz"));
        Tools.run(dir, "tabix", "-p", "vcf", vcf.toString());
        try (InputStream in = Files.newInputStream(dir.resolve("big.vcf.gz.tbi"))) {
            index = GenomicIndex.read(in);
        }
        assertThat(Files.size(vcf)).isGreaterThan(4L << 20);
    }

    @BeforeEach
    void startPool() {
        pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Executor counting(ExecutorService delegate) {
        return task -> {
            started.incrementAndGet();
            delegate.execute(task);
        };
    }

    private static String query(Path data, Executor executor, List<String> regions) throws IOException {
        return RegionReaderTabixTest.ours(data, index, Layout.VCF, regions, executor);
    }

    private static String tabix(List<String> regions) {
        List<String> cmd = new ArrayList<>(List.of("tabix", vcf.toString()));
        cmd.addAll(regions);
        return new String(Tools.run(dir, cmd.toArray(String[]::new)), StandardCharsets.UTF_8);
    }

    @Test
    void wholeContigsAndManyRegionsReadAheadGiveTabixsRecords() throws IOException {
        for (List<String> regions : List.of(
                List.of("chr1"),
                List.of("chr2", "chr1:1000000-30000000", "chrX"),
                List.of("chr10:5000-", "chr1:1-100", "chrM"))) {
            assertThat(query(vcf, counting(pool), regions))
                    .as("regions %s", regions)
                    .isEqualTo(tabix(regions))
                    .isNotEmpty();
        }
        assertThat(started).as("read-ahead tasks started").hasPositiveValue();
        Random rnd = new Random(11);
        for (int batch = 0; batch < 4; batch++) {
            List<String> regions = Fixtures.regions(rnd, 30, Fixtures.CONTIGS);
            assertThat(query(vcf, counting(pool), regions))
                    .as("regions %s", regions)
                    .isEqualTo(tabix(regions));
        }
    }

    @Test
    void anExecutorThatRefusesLeavesTheQueryOnItsOwnThread() throws IOException {
        Executor refusing = task -> {
            started.incrementAndGet();
            throw new RejectedExecutionException("all busy");
        };
        assertThat(query(vcf, refusing, List.of("chr1"))).isEqualTo(tabix(List.of("chr1")));
        assertThat(started).hasPositiveValue();
    }

    @Test
    void aCorruptBlockAheadIsReportedToTheQueryAndTheThreadIsFreed() throws Exception {
        Path bad = dir.resolve("corrupt.vcf.gz");
        byte[] bytes = Files.readAllBytes(vcf);
        int at = bytes.length / 3; // inside chr1's data, far from the header
        for (int i = 0; i < 64; i++) {
            bytes[at + i] ^= (byte) 0x5a;
        }
        Files.write(bad, bytes);
        List<String> regions = List.of("chr1", "chr2", "chr10");
        // the same error, naming the same block, as when the query's own thread inflates it
        IOException direct =
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> query(bad, null, regions));
        assertThat(direct).hasMessageContaining("corrupt BGZF block");
        assertThatThrownBy(() -> query(bad, counting(pool), regions))
                .isInstanceOf(direct.getClass())
                .hasMessage(direct.getMessage());
        assertThat(started).hasPositiveValue();
        awaitIdle();
    }

    @Test
    void aQueryStoppedEarlyStopsItsReadAhead() throws Exception {
        RegionReader r = new RegionReader(new FileRangeSource(vcf), index, Layout.VCF, counting(pool));
        AtomicInteger lines = new AtomicInteger();
        assertThatThrownBy(() -> r.query(List.of(Region.parse("chr1")), (b, off, len) -> {
                    if (lines.incrementAndGet() == 100) {
                        throw new IOException("the client went away");
                    }
                }))
                .hasMessage("the client went away");
        assertThat(started).hasPositiveValue();
        awaitIdle();
        assertThat(pool.getCompletedTaskCount()).isEqualTo(started.get());
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pool.getActiveCount()).as("read-ahead threads still busy").isZero();
    }
}
