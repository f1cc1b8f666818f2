package org.karyo.storage.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectReferences;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.api.SweepReport;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestClock;
import org.karyo.testing.TestConfigs;

/** The sweeper on the real filesystem store (real files), with modules' references faked. */
class SweeperTest {

    @TempDir
    Path dir;

    private ObjectStore store;
    private final RecordingAuditTrail audit = new RecordingAuditTrail(null);

    /** A module's references: which keys it still refers to, and what it was asked. */
    static final class Module implements ObjectReferences {
        final String prefix;
        final Set<String> kept = new HashSet<>();
        final List<List<String>> asked = new ArrayList<>();
        Function<Collection<String>, Set<String>> answer;

        Module(String prefix, String... kept) {
            this.prefix = prefix;
            this.kept.addAll(List.of(kept));
        }

        @Override
        public String prefix() {
            return prefix;
        }

        @Override
        public Set<String> referenced(Collection<String> keys) {
            asked.add(List.copyOf(keys));
            if (answer != null) {
                return answer.apply(keys);
            }
            Set<String> r = new HashSet<>(keys);
            r.retainAll(kept);
            return r;
        }
    }

    @BeforeEach
    void store() {
        store = new FsObjectStore(
                TestConfigs.defaults(FsObjectStore.Config.class),
                TestConfigs.bundleContext(Map.of("karaf.base", dir.toString())));
    }

    static Sweeper.Config config(Map<String, Object> values) {
        return TestConfigs.of(Sweeper.Config.class, values);
    }

    private Sweeper sweeper(Clock clock, Map<String, Object> cfg, Module... modules) {
        Sweeper s = new Sweeper(store, audit, config(cfg), clock);
        for (Module m : modules) {
            s.addReferences(m);
        }
        return s;
    }

    private void put(String key, int size) {
        store.put(key, new ByteArrayInputStream(new byte[size]), size, PutOptions.DEFAULT);
    }

    private static TestClock hoursLater(long hours) {
        return new TestClock(Instant.now().plus(Duration.ofHours(hours)));
    }

    @Test
    void aSweepRemovesTheTemporaryFilesThatUnfinishedWritesLeftAndSaysSo() throws Exception {
        // what a kill -9 in the middle of a part upload leaves in the filesystem store (no restart since)
        Path leftover = Files.write(dir.resolve("var/storage/tmp/part-1.tmp"), new byte[4096]);
        put("omics/kept.vcf.gz", 10);
        Module omics = new Module("omics/", "omics/kept.vcf.gz");

        SweepReport dry = sweeper(hoursLater(25), Map.of(), omics).sweep(true, null);
        assertThat(dry.leftovers()).isEqualTo(new Leftovers(1, 4096));
        assertThat(leftover).exists();

        SweepReport real = sweeper(hoursLater(25), Map.of(), omics).sweep(false, null);
        assertThat(real.leftovers()).isEqualTo(new Leftovers(1, 4096));
        assertThat(leftover).doesNotExist();
        assertThat(audit.entries()).last().satisfies(e -> assertThat(e.event().details())
                .containsEntry("temporary_files", "1")
                .containsEntry("temporary_bytes", "4096"));
        // younger than the grace period: a write may still be using it
        Path fresh = Files.write(dir.resolve("var/storage/tmp/part-2.tmp"), new byte[1]);
        assertThat(sweeper(hoursLater(1), Map.of(), omics).sweep(false, null).leftovers())
                .isEqualTo(Leftovers.NONE);
        assertThat(fresh).exists();
    }

    @Test
    void aDryRunReportsWhatWouldGoAndRemovesNothing() {
        put("omics/a/1.vcf.gz", 10);
        put("omics/a/2.vcf.gz", 20);
        put("omics/b/3.vcf.gz", 30);
        put("projects/p1/consent.pdf", 40);
        put("other/orphan.bin", 50); // an uninstalled module's: never looked at
        Module omics = new Module("omics/", "omics/a/1.vcf.gz");
        Module projects = new Module("projects/");

        SweepReport r = sweeper(hoursLater(25), Map.of(), omics, projects).sweep(true, null);

        assertThat(r.dryRun()).isTrue();
        assertThat(r.prefixes()).containsExactly("omics/", "projects/");
        assertThat(r.objects())
                .extracting(ObjectInfo::key)
                .containsExactly("omics/a/2.vcf.gz", "omics/b/3.vcf.gz", "projects/p1/consent.pdf");
        assertThat(r.bytes()).isEqualTo(90);
        assertThat(r.uploads()).isEmpty();
        assertThat(store.list("", null, 100)).hasSize(5);
        assertThat(audit.entries()).isEmpty();
    }

    @Test
    void aRealSweepRemovesTheUnreferencedAndOldAndIsAudited() {
        put("omics/a/1.vcf.gz", 10);
        put("omics/a/2.vcf.gz", 20);
        put("other/orphan.bin", 50);
        Module omics = new Module("omics/", "omics/a/1.vcf.gz");

        SweepReport r = sweeper(hoursLater(25), Map.of(), omics).sweep(false, null);

        assertThat(r.dryRun()).isFalse();
        assertThat(r.objects()).extracting(ObjectInfo::key).containsExactly("omics/a/2.vcf.gz");
        assertThat(store.stat("omics/a/2.vcf.gz")).isEmpty();
        assertThat(store.stat("omics/a/1.vcf.gz")).isPresent();
        assertThat(store.stat("other/orphan.bin")).isPresent();
        assertThat(audit.entries()).singleElement().satisfies(e -> {
            assertThat(e.actorId()).isEqualTo("system");
            AuditEvent ev = e.event();
            assertThat(ev.action()).isEqualTo("storage.sweep.run");
            assertThat(ev.details())
                    .containsEntry("objects", "1")
                    .containsEntry("bytes", "20")
                    .containsEntry("uploads", "0")
                    .containsEntry("failed", "0")
                    .containsEntry("prefixes", "omics/")
                    .containsEntry("grace_hours", "24");
            assertThat(ev.details().values()).noneMatch(v -> v.contains("vcf"));
        });
    }

    @Test
    void objectsYoungerThanTheGracePeriodStayUnlessTheGraceIsShortened() {
        put("omics/young.bin", 1);
        Module omics = new Module("omics/");
        Sweeper s = sweeper(hoursLater(1), Map.of(), omics);

        assertThat(s.sweep(false, null).objects()).isEmpty();
        assertThat(store.stat("omics/young.bin")).isPresent();
        assertThat(sweeper(hoursLater(1), Map.of("grace.hours", 2), omics)
                        .sweep(true, null)
                        .objects())
                .isEmpty();

        SweepReport shortened = s.sweep(false, Duration.ofMinutes(30));
        assertThat(shortened.objects()).extracting(ObjectInfo::key).containsExactly("omics/young.bin");
        assertThat(store.stat("omics/young.bin")).isEmpty();
        assertThatThrownBy(() -> s.sweep(true, Duration.ofHours(-1)))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    }

    @Test
    void keysGoToTheModulesInBatchesAndEveryPageIsRead() {
        for (int i = 0; i < 7; i++) {
            put("omics/k" + i, 1);
        }
        Module omics = new Module("omics/", "omics/k3");
        Sweeper s = new Sweeper(store, audit, config(Map.of("batch.size", 3)), hoursLater(25), 2);
        s.addReferences(omics);

        SweepReport r = s.sweep(true, null);

        assertThat(omics.asked).hasSize(3);
        assertThat(omics.asked).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(3));
        assertThat(omics.asked.stream().flatMap(List::stream)).hasSize(7).doesNotHaveDuplicates();
        assertThat(r.objects()).hasSize(6);
    }

    @Test
    void aModuleThatCannotAnswerKeepsItsObjects() {
        put("omics/x", 1);
        put("projects/y", 1);
        Module omics = new Module("omics/");
        omics.answer = keys -> {
            throw new IllegalStateException("database down");
        };
        Module projects = new Module("projects/");

        SweepReport r = sweeper(hoursLater(25), Map.of(), omics, projects).sweep(false, null);

        assertThat(r.objects()).extracting(ObjectInfo::key).containsExactly("projects/y");
        assertThat(store.stat("omics/x")).isPresent();
    }

    @Test
    void anObjectUnderTwoModulesPrefixesIsKeptWhenEitherReferencesIt() {
        put("omics/vcf/a", 1);
        put("omics/vcf/b", 1);
        put("omics/c", 1);
        Module omics = new Module("omics/");
        Module vcf = new Module("omics/vcf/", "omics/vcf/a");

        SweepReport r = sweeper(hoursLater(25), Map.of(), omics, vcf).sweep(true, null);

        assertThat(r.prefixes()).containsExactly("omics/");
        assertThat(r.objects()).extracting(ObjectInfo::key).containsExactly("omics/c", "omics/vcf/b");
        assertThat(vcf.asked).singleElement().satisfies(k -> assertThat(k)
                .containsExactly("omics/vcf/a", "omics/vcf/b"));
    }

    @Test
    void aPrefixThatIsNotAModulesNeverSweepsTheStore() {
        put("omics/x", 1);
        for (String bad : new String[] {"", "/", "omics", "../", "a//"}) {
            SweepReport r = sweeper(hoursLater(25), Map.of(), new Module(bad)).sweep(false, null);
            assertThat(r.prefixes()).isEmpty();
            assertThat(r.objects()).isEmpty();
        }
        assertThat(store.stat("omics/x")).isPresent();
        SweepReport none = sweeper(hoursLater(25), Map.of()).sweep(false, null);
        assertThat(none.prefixes()).isEmpty();
    }

    @Test
    void staleMultipartUploadsUnderTheModulesPrefixesAreAborted() {
        MultipartUpload stale = store.startMultipart("omics/uploads/1.bin", PutOptions.DEFAULT);
        store.putPart(stale, 1, new ByteArrayInputStream(new byte[] {1}), 1);
        MultipartUpload elsewhere = store.startMultipart("other/uploads/2.bin", PutOptions.DEFAULT);
        Module omics = new Module("omics/");

        SweepReport dry = sweeper(hoursLater(25), Map.of(), omics).sweep(true, null);
        assertThat(dry.uploads()).extracting(u -> u.upload()).containsExactly(stale);
        assertThat(store.listMultipartUploads("omics/")).hasSize(1);

        assertThat(sweeper(hoursLater(1), Map.of(), omics).sweep(false, null).uploads())
                .isEmpty();
        SweepReport real = sweeper(hoursLater(25), Map.of(), omics).sweep(false, null);
        assertThat(real.uploads()).hasSize(1);
        assertThat(store.listMultipartUploads("omics/")).isEmpty();
        assertThat(store.listMultipartUploads("other/"))
                .extracting(u -> u.upload())
                .containsExactly(elsewhere);
        assertThat(audit.entries()).last().satisfies(e -> assertThat(e.event().details())
                .containsEntry("uploads", "1"));
    }

    @Test
    void anOldUploadThatItsModuleStillRefersToIsLeftToResume() {
        MultipartUpload resuming = store.startMultipart("omics/uploads/7/data", PutOptions.DEFAULT);
        store.putPart(resuming, 1, new ByteArrayInputStream(new byte[] {1}), 1);
        MultipartUpload abandoned = store.startMultipart("omics/uploads/8/data", PutOptions.DEFAULT);
        Module omics = new Module("omics/", "omics/uploads/7/data");

        SweepReport real = sweeper(hoursLater(48), Map.of(), omics).sweep(false, null);

        assertThat(real.uploads()).extracting(u -> u.upload()).containsExactly(abandoned);
        assertThat(store.listMultipartUploads("omics/"))
                .extracting(u -> u.upload())
                .containsExactly(resuming);
        assertThat(omics.asked).anySatisfy(keys -> assertThat(keys).contains("omics/uploads/7/data"));
    }

    @Test
    void oneSweepRunsAtATime() throws Exception {
        put("omics/x", 1);
        Module omics = new Module("omics/");
        Sweeper s = sweeper(hoursLater(25), Map.of(), omics);
        List<Throwable> second = new ArrayList<>();
        omics.answer = keys -> {
            second.add(catchThrowable(
                    () -> CompletableFuture.runAsync(() -> s.sweep(true, null)).join()));
            return Set.of();
        };

        s.sweep(true, null);

        assertThat(second).singleElement().satisfies(t -> assertThat(t.getCause())
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT)));
        omics.answer = null;
        assertThat(s.sweep(true, null).objects()).hasSize(1); // free again
    }

    @Test
    void aModuleThatLeavesIsNoLongerSwept() {
        put("omics/x", 1);
        Module omics = new Module("omics/");
        Sweeper s = sweeper(hoursLater(25), Map.of(), omics);
        s.removeReferences(omics);
        assertThat(s.sweep(false, null).objects()).isEmpty();
        assertThat(store.stat("omics/x")).isPresent();
    }

    @Test
    void aWrongConfigurationFailsTheActivation() {
        assertThatThrownBy(() -> sweeper(TestClock.now(), Map.of("grace.hours", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grace.hours");
        assertThatThrownBy(() -> sweeper(TestClock.now(), Map.of("batch.size", 0)))
                .hasMessageContaining("batch.size");
    }
}
