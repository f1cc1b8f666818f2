package org.karyo.storage.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.KaryoException;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PendingUpload;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.SweepReport;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.karyo.testing.TestConfigs;

/** The commands on the real filesystem store, and on a sweeper that reports what it is told to. */
class StorageCommandsTest {

    private static final List<Class<?>> COMMANDS = List.of(
            StorageInfoCommand.class,
            StorageListCommand.class,
            StorageStatCommand.class,
            StorageUploadsCommand.class,
            StorageSweepCommand.class);

    @TempDir
    Path dir;

    private ObjectStore store;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void store() {
        store = new FsObjectStore(
                TestConfigs.defaults(FsObjectStore.Config.class),
                TestConfigs.bundleContext(Map.of("karaf.base", dir.toString())));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void put(String key, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(b), b.length, PutOptions.DEFAULT);
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description()).as(f.getName()).isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description()).as(f.getName()).isNotBlank();
                }
            }
        }
        assertThat(COMMANDS)
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly("storage-info", "storage-ls", "storage-stat", "storage-uploads", "storage-sweep");
    }

    @Test
    void infoDescribesTheStoreInUse() {
        StorageInfoCommand cmd = new StorageInfoCommand();
        cmd.store = store;
        cmd.print(out);
        assertThat(printed())
                .contains("Type:        filesystem")
                .contains("Location:    " + dir.resolve("var/storage"))
                .contains("Public URL:  http://localhost:8181");
    }

    @Test
    void lsShowsOnePageAndHowToGetTheNext() {
        put("omics/a.vcf", "aa");
        put("omics/b.vcf", "bbb");
        put("omics/c.vcf", "c");
        put("projects/p.pdf", "p");
        StorageListCommand cmd = new StorageListCommand();
        cmd.store = store;
        cmd.prefix = "omics/";
        cmd.limit = 2;

        cmd.print(out);

        assertThat(printed())
                .contains("omics/a.vcf", "omics/b.vcf", "Key", "Size", "SHA-256")
                .doesNotContain("omics/c.vcf", "projects/")
                .contains("2 object(s) shown; next page: karyo:storage-ls omics/ --after omics/b.vcf");

        bytes.reset();
        cmd.after = "omics/b.vcf";
        cmd.print(out);
        assertThat(printed()).contains("omics/c.vcf", "1 object(s)").doesNotContain("omics/a.vcf");
    }

    @Test
    void lsNamesABadPrefixOrLimit() {
        StorageListCommand cmd = new StorageListCommand();
        cmd.store = store;
        cmd.prefix = "../etc/";
        assertThatThrownBy(() -> cmd.print(out)).hasMessageStartingWith("prefix ");
        cmd.prefix = "omics/";
        cmd.limit = 0;
        assertThatThrownBy(() -> cmd.print(out)).hasMessageStartingWith("--limit ");
    }

    @Test
    void statShowsTheDigestsOrSaysThereIsNoObject() {
        put("omics/a.vcf", "hello");
        StorageStatCommand cmd = new StorageStatCommand();
        cmd.store = store;
        cmd.key = "omics/a.vcf";

        cmd.print(out);

        assertThat(printed())
                .contains("Size:      5")
                .contains("SHA-256:   2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
                .contains("MD5:       5d41402abc4b2a76b9719d911017c592");
        cmd.key = "omics/none.vcf";
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("object omics/none.vcf does not exist");
    }

    @Test
    void uploadsListsThoseInProgress() {
        MultipartUpload u = store.startMultipart("omics/big.vcf.gz", PutOptions.DEFAULT);
        store.startMultipart("projects/x.pdf", PutOptions.DEFAULT);
        StorageUploadsCommand cmd = new StorageUploadsCommand();
        cmd.store = store;
        cmd.prefix = "omics/";

        cmd.print(out);

        assertThat(printed())
                .contains("omics/big.vcf.gz", u.uploadId(), "1 upload(s) in progress")
                .doesNotContain("projects/x.pdf");
    }

    /** A sweeper that answers a fixed report and remembers how it was called. */
    static final class FakeSweeper implements StorageSweeper {
        final List<Object[]> calls = new ArrayList<>();
        SweepReport next;

        @Override
        public SweepReport sweep(boolean dryRun, Duration grace) {
            calls.add(new Object[] {dryRun, grace});
            return new SweepReport(
                    dryRun, next.prefixes(), next.objects(), next.uploads(), next.bytes(), next.leftovers());
        }
    }

    @Test
    void sweepIsADryRunUnlessApplied() {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        FakeSweeper sweeper = new FakeSweeper();
        sweeper.next = new SweepReport(
                true,
                List.of("omics/", "projects/"),
                List.of(new ObjectInfo("omics/x.vcf.gz", 3L * 1024 * 1024, "e", t, null, null)),
                List.of(new PendingUpload(new MultipartUpload("omics/y.vcf.gz", "u-1"), t)),
                3L * 1024 * 1024,
                new Leftovers(2, 2048));
        StorageSweepCommand cmd = new StorageSweepCommand();
        cmd.sweeper = sweeper;

        cmd.print(out);

        assertThat(sweeper.calls).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo(true);
            assertThat(c[1]).isNull();
        });
        assertThat(printed())
                .contains("omics/x.vcf.gz", "omics/y.vcf.gz", "u-1")
                .contains("Dry run (under omics/, projects/): would remove 1 object(s), 3.0 MiB (3145728 bytes),"
                        + " abort 1 upload(s) and remove 2 temporary file(s) of unfinished writes, 2.0 KiB (2048"
                        + " bytes). Run with --apply to do it.");

        bytes.reset();
        cmd.apply = true;
        cmd.graceHours = 2;
        cmd.print(out);
        assertThat(sweeper.calls.get(1)[0]).isEqualTo(false);
        assertThat(sweeper.calls.get(1)[1]).isEqualTo(Duration.ofHours(2));
        assertThat(printed())
                .contains("Removed 1 object(s), 3.0 MiB (3145728 bytes), aborted 1 upload(s) and removed 2 temporary"
                        + " file(s) of unfinished writes");

        cmd.graceHours = -1;
        assertThatThrownBy(() -> cmd.print(out)).hasMessageContaining("--grace-hours");
        assertThat(sweeper.calls).hasSize(2);
    }

    @Test
    void aSweepThatIsAlreadyRunningIsExplained() {
        StorageSweepCommand cmd = new StorageSweepCommand();
        cmd.sweeper = (dryRun, grace) -> {
            throw KaryoException.conflict("A storage sweep is already running");
        };
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("A storage sweep is already running");
        assertThat(StorageSweepCommand.bytes(10)).isEqualTo("10 bytes");
    }
}
