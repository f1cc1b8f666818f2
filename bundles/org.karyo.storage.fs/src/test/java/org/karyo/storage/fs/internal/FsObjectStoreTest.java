package org.karyo.storage.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.testing.TestData;
import org.karyo.testing.TestClock;

/** What the filesystem store does on disk, beyond the contract every store owes. */
class FsObjectStoreTest {

    @TempDir
    Path dir;

    private static final URI PUBLIC = URI.create("https://karyo.example.org");

    private FsObjectStore store(Map<String, String> env, Clock clock) {
        return new FsObjectStore(new FsSettings(dir.resolve("storage"), PUBLIC), EnvOverrides.of(env), clock);
    }

    private FsObjectStore store() {
        return store(Map.of(), Clock.systemUTC());
    }

    private static ObjectInfo put(FsObjectStore s, String key, byte[] data) {
        return s.put(key, new ByteArrayInputStream(data), data.length, PutOptions.DEFAULT);
    }

    private static Kind kind(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.kind();
        }
        throw new AssertionError("no KaryoException");
    }

    @Test
    void anObjectIsAFileAtItsKeysPathWithAHiddenSidecarAndNothingLeftInTmp() throws IOException {
        FsObjectStore s = store();
        byte[] data = TestData.bytes(1234, 1);
        put(s, "omics/artifacts/42/data.vcf.gz", data);

        Path root = dir.resolve("storage");
        assertThat(Files.readAllBytes(root.resolve("objects/omics/artifacts/42/data.vcf.gz")))
                .isEqualTo(data);
        assertThat(root.resolve("objects/omics/artifacts/42/.data.vcf.gz.meta")).exists();
        try (var tmp = Files.list(root.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root.resolve("objects/omics/artifacts/42/data.vcf.gz"))))
                .isEqualTo("rw-------");
        assertThat(s.describe().type()).isEqualTo("filesystem");
        assertThat(s.describe().location()).isEqualTo(root.toString());
        assertThat(s.describe().bucket()).isEqualTo("storage");
        assertThat(s.describe().publicUrl()).isEqualTo("https://karyo.example.org");
    }

    @Test
    void aSidecarThatDescribesAnotherVersionOfTheFileIsNotBelieved() throws IOException {
        FsObjectStore s = store();
        put(s, "m/x.bin", TestData.bytes(100, 2));
        Path file = dir.resolve("storage/objects/m/x.bin");

        // replaced behind the store's back by another file of the same size (as if a crash hit between the renames)
        byte[] other = TestData.bytes(100, 3);
        Path elsewhere = dir.resolve("other.bin");
        Files.write(elsewhere, other);
        Files.move(elsewhere, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ObjectInfo stat = s.stat("m/x.bin").orElseThrow();
        assertThat(stat.sha256()).isEqualTo(TestData.sha256(other));
        assertThat(stat.md5()).isEqualTo(TestData.md5(other));
        assertThat(stat.etag()).isEqualTo(TestData.md5(other));

        // grown in place
        Files.write(file, TestData.bytes(150, 4));
        assertThat(s.stat("m/x.bin").orElseThrow().sha256()).isEqualTo(TestData.sha256(150, 4));

        // no sidecar at all
        Files.delete(dir.resolve("storage/objects/m/.x.bin.meta"));
        assertThat(s.stat("m/x.bin").orElseThrow().sha256()).isEqualTo(TestData.sha256(150, 4));
        assertThat(dir.resolve("storage/objects/m/.x.bin.meta")).exists();
    }

    @Test
    void aKeyCannotBeBothAnObjectAndTheFolderOfOthers() {
        FsObjectStore s = store();
        put(s, "c/a", new byte[] {1});
        assertThat(kind(() -> put(s, "c/a/b", new byte[] {2}))).isEqualTo(Kind.CONFLICT);
        assertThat(s.stat("c/a/b")).isEmpty();
        assertThat(kind(() -> s.get("c/a/b"))).isEqualTo(Kind.NOT_FOUND);
        s.delete("c/a/b");

        put(s, "d/a/b", new byte[] {3});
        assertThat(kind(() -> put(s, "d/a", new byte[] {4}))).isEqualTo(Kind.CONFLICT);
        assertThat(s.stat("d/a")).isEmpty();
        s.delete("d/a"); // a folder, not an object: left alone
        assertThat(s.stat("d/a/b")).isPresent();
    }

    @Test
    void deletingTheLastObjectOfAFolderRemovesTheEmptyFolders() {
        FsObjectStore s = store();
        put(s, "e/f/g/h.bin", new byte[] {1});
        put(s, "e/keep.bin", new byte[] {1});
        s.delete("e/f/g/h.bin");
        assertThat(dir.resolve("storage/objects/e/f")).doesNotExist();
        assertThat(dir.resolve("storage/objects/e/keep.bin")).exists();
    }

    @Test
    void concurrentWritesAndDeletesInOneFolderAllSucceed() throws Exception {
        FsObjectStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        String key = "race/a/b/" + thread + "-" + i;
                        put(s, key, new byte[] {(byte) i});
                        s.delete(key);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.list("race/", null, 10)).isEmpty();
    }

    @Test
    void aStreamThatFailsLeavesNothingBehind() {
        FsObjectStore s = store();
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        KaryoException e = (KaryoException) catchThrowable(() -> s.put("f/broken.bin", broken, -1, PutOptions.DEFAULT));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors().get(0).field()).isEqualTo("data");
        assertThat(s.stat("f/broken.bin")).isEmpty();
        assertThat(dir.resolve("storage/tmp").toFile().list()).isEmpty();
    }

    @Test
    void theSigningKeyIsGeneratedOncePrivatelyAndSharedByTheNodesOfOneFolder() throws IOException {
        FsObjectStore first = store();
        Path keyFile = dir.resolve("storage/.signing-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        put(first, "g/x.bin", new byte[] {1});
        Map<String, String> q = query(first.presignGet("g/x.bin", Duration.ofMinutes(5), null));

        FsObjectStore second = store();
        second.verify("GET", "g/x.bin", null, null, null, null, q.get("expires"), q.get("signature"));
        assertThat(Files.readString(keyFile)).isNotBlank();
    }

    @Test
    void aConfiguredSigningKeyWinsAndADifferentKeyRefusesTheUrl() {
        String keyA = Base64.getEncoder().encodeToString(TestData.bytes(32, 5));
        String keyB = Base64.getUrlEncoder().encodeToString(TestData.bytes(48, 6));
        FsObjectStore a = store(Map.of(SigningKeys.ENV_KEY, keyA), Clock.systemUTC());
        FsObjectStore b = store(Map.of(SigningKeys.ENV_KEY, keyB), Clock.systemUTC());
        Map<String, String> q = query(a.presignPut("h/x.bin", Duration.ofMinutes(5)));

        a.verify("PUT", "h/x.bin", null, null, null, null, q.get("expires"), q.get("signature"));
        assertThatThrownBy(
                        () -> b.verify("PUT", "h/x.bin", null, null, null, null, q.get("expires"), q.get("signature")))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThat(dir.resolve("storage/.signing-key")).doesNotExist();
        assertThatThrownBy(() -> store(Map.of(SigningKeys.ENV_KEY, "short"), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SigningKeys.ENV_KEY)
                .hasMessageNotContaining("short");
    }

    @Test
    void aUrlExpiresAtItsExpiryAndNamesWhatItAllows() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        FsObjectStore s = store(Map.of(), clock);
        MultipartUpload upload = s.startMultipart("i/x.bin", PutOptions.DEFAULT);
        URI url = s.presignPart(upload, 3, 5000, Duration.ofSeconds(60));
        Map<String, String> q = query(url);

        assertThat(url.toString())
                .startsWith("https://karyo.example.org/api/storage/presigned/objects/i/x.bin?uploadId="
                        + upload.uploadId() + "&partNumber=3&length=5000&expires=");
        assertThat(q.get("expires")).isEqualTo(Long.toString(clock.instant().getEpochSecond() + 60));
        clock.advance(Duration.ofSeconds(59));
        s.verify("PUT", "i/x.bin", upload.uploadId(), "3", "5000", null, q.get("expires"), q.get("signature"));
        // another part, another upload, another length, a GET: not this URL
        for (String[] other : List.of(
                new String[] {"PUT", "i/x.bin", upload.uploadId(), "4", "5000"},
                new String[] {"PUT", "i/x.bin", "00000000-0000-0000-0000-000000000000", "3", "5000"},
                new String[] {"PUT", "i/x.bin", upload.uploadId(), "3", "5001"},
                new String[] {"PUT", "i/x.bin", upload.uploadId(), "3", null},
                new String[] {"GET", "i/x.bin", upload.uploadId(), "3", "5000"},
                new String[] {"PUT", "i/y.bin", upload.uploadId(), "3", "5000"})) {
            assertThat(kind(() -> s.verify(
                            other[0],
                            other[1],
                            other[2],
                            other[3],
                            other[4],
                            null,
                            q.get("expires"),
                            q.get("signature"))))
                    .isEqualTo(Kind.FORBIDDEN);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> s.verify(
                        "PUT", "i/x.bin", upload.uploadId(), "3", "5000", null, q.get("expires"), q.get("signature")))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.getMessage()).isEqualTo("This link has expired"));
        assertThat(kind(() -> s.verify("GET", "i/x.bin", null, null, null, null, "soon", "x")))
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(kind(() -> s.presignGet("i/x.bin", Duration.ofMinutes(1), "../etc/passwd")))
                .isEqualTo(Kind.INVALID);
        assertThat(kind(() -> s.presignPart(new MultipartUpload("i/x.bin", "nope"), 1, 10, Duration.ofMinutes(1))))
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void multipartUploadsSurviveARestartAndStaleTemporaryFilesDoNot() throws IOException {
        FsObjectStore before = store();
        MultipartUpload upload = before.startMultipart("j/x.bin", new PutOptions("text/plain", null));
        before.putPart(upload, 1, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        Path stale = dir.resolve("storage/tmp/put-1.tmp");
        Path fresh = dir.resolve("storage/tmp/put-2.tmp");
        Files.write(stale, new byte[] {1});
        Files.write(fresh, new byte[] {1});
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        FsObjectStore after = store();

        assertThat(after.listMultipartUploads("j/")).singleElement().satisfies(p -> {
            assertThat(p.upload()).isEqualTo(upload);
            assertThat(p.initiated()).isBefore(Instant.now().plusSeconds(1));
        });
        assertThat(after.listParts(upload)).singleElement().satisfies(p -> assertThat(p.size())
                .isEqualTo(3));
        after.completeMultipart(upload, after.listParts(upload));
        assertThat(after.contentType("j/x.bin")).isEqualTo("text/plain");
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void temporaryFilesThatAKillLeftAreRemovedAtTheNextStart() throws IOException {
        store();
        Path tmp = dir.resolve("storage/tmp");
        // what a kill -9 in the middle of a put, a part and a multipart start leaves: written before the restart
        Instant killedAt = Instant.now().minusSeconds(30);
        Path part = Files.write(tmp.resolve("part-123.tmp"), new byte[4096]);
        Path put = Files.write(tmp.resolve("put-456.tmp"), new byte[100]);
        Path staging = Files.createDirectories(tmp.resolve("upload-0000"));
        Files.write(staging.resolve("upload.properties"), new byte[10]);
        for (Path p : List.of(part, put, staging)) {
            Files.setLastModifiedTime(p, FileTime.from(killedAt));
        }
        // a file changed after this process started may be a write in progress of another instance: kept
        Path recent = Files.write(tmp.resolve("put-789.tmp"), new byte[1]);

        new FsObjectStore(
                new FsSettings(dir.resolve("storage"), PUBLIC),
                EnvOverrides.of(Map.of()),
                Clock.systemUTC(),
                killedAt.plusSeconds(10));

        try (var left = Files.list(tmp)) {
            assertThat(left).containsExactly(recent);
        }
    }

    @Test
    void aSweepRemovesLeftoversOlderThanEveryWriteInProgressAndNeverAWriteInProgress() throws Exception {
        FsObjectStore s = store();
        Path tmp = dir.resolve("storage/tmp");
        Path old = Files.write(tmp.resolve("part-1.tmp"), new byte[1000]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        // a write in progress: its client stops after 10 bytes until the test lets it go on
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n == 10) {
                    sent.countDown();
                    try {
                        goOn.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return n++ < 20 ? 7 : -1;
            }
        };
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<ObjectInfo> writing = writer.submit(() -> s.put("w/slow.bin", slow, 20, PutOptions.DEFAULT));
            assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
            Path inProgress;
            try (var files = Files.list(tmp)) {
                inProgress = files.filter(f -> !f.equals(old)).findFirst().orElseThrow();
            }
            // a leftover changed after the write started could belong to a write of another instance: kept too
            Path younger = Files.write(tmp.resolve("put-2.tmp"), new byte[5]);

            assertThat(s.removeLeftovers(Instant.now().plusSeconds(60), true)).isEqualTo(new Leftovers(1, 1000));
            assertThat(old).exists();
            assertThat(s.removeLeftovers(Instant.now().plusSeconds(60), false)).isEqualTo(new Leftovers(1, 1000));
            assertThat(old).doesNotExist();
            assertThat(inProgress).exists();
            assertThat(younger).exists();

            goOn.countDown();
            assertThat(writing.get(30, TimeUnit.SECONDS).size()).isEqualTo(20);
            // the write done, what it left is nobody's: the younger leftover goes at the next sweep
            assertThat(s.removeLeftovers(Instant.now().plusSeconds(60), false)).isEqualTo(new Leftovers(1, 5));
            try (var left = Files.list(tmp)) {
                assertThat(left).isEmpty();
            }
        } finally {
            goOn.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void anUploadIdIsNeverAPath() {
        FsObjectStore s = store();
        for (String id : List.of("../objects", "..", "a/b", "")) {
            assertThat(kind(() -> s.listParts(new MultipartUpload("k/x.bin", id))))
                    .isEqualTo(Kind.NOT_FOUND);
            s.abortMultipart(new MultipartUpload("k/x.bin", id));
        }
        MultipartUpload real = s.startMultipart("k/x.bin", PutOptions.DEFAULT);
        // the id of another key's upload is not this key's
        assertThat(kind(() -> s.listParts(new MultipartUpload("k/y.bin", real.uploadId()))))
                .isEqualTo(Kind.NOT_FOUND);
        s.abortMultipart(new MultipartUpload("k/y.bin", real.uploadId()));
        assertThat(s.listMultipartUploads("k/")).hasSize(1);
    }

    @Test
    void settingsComeFromTheConfigurationAndTheEnvironment() {
        FsObjectStore.Config defaults = config(Map.of());
        FsSettings d = FsSettings.resolve(defaults, EnvOverrides.of(Map.of()), "/opt/karyo");
        assertThat(d.root()).isEqualTo(Path.of("/opt/karyo/var/storage"));
        assertThat(d.publicUrl()).isEqualTo(URI.create("http://localhost:8181"));

        FsSettings configured = FsSettings.resolve(
                config(Map.of("root", "${karaf.base}/objects", "public.url", "https://k.example.org/karyo/")),
                EnvOverrides.of(Map.of()),
                "/opt/karyo");
        assertThat(configured.root()).isEqualTo(Path.of("/opt/karyo/objects"));
        assertThat(configured.publicUrl()).isEqualTo(URI.create("https://k.example.org/karyo"));

        FsSettings env = FsSettings.resolve(
                defaults,
                EnvOverrides.of(Map.of(
                        FsSettings.ENV_DIR, "/srv/karyo-objects", FsSettings.ENV_PUBLIC_URL, "https://x.example.org")),
                "/opt/karyo");
        assertThat(env.root()).isEqualTo(Path.of("/srv/karyo-objects"));
        assertThat(env.publicUrl()).isEqualTo(URI.create("https://x.example.org"));

        assertThatThrownBy(() -> FsSettings.resolve(
                        config(Map.of("public.url", "ftp://x")), EnvOverrides.of(Map.of()), "/opt/karyo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.url")
                .hasMessageContaining(FsSettings.ENV_PUBLIC_URL);
        assertThatThrownBy(() -> FsSettings.resolve(
                        config(Map.of("root", "${karaf.data}/storage")), EnvOverrides.of(Map.of()), "/opt/karyo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FsSettings.ENV_DIR);
    }

    @Test
    void presignedUrlsUseThePublicUrlsPath() {
        FsObjectStore s = new FsObjectStore(
                new FsSettings(dir.resolve("storage"), URI.create("https://k.example.org/karyo")),
                EnvOverrides.of(Map.of()),
                Clock.systemUTC());
        assertThat(s.presignGet("l/x.txt", Duration.ofMinutes(1), "a b.txt").toString())
                .startsWith("https://k.example.org/karyo/api/storage/presigned/objects/l/x.txt?filename=a%20b.txt"
                        + "&expires=");
    }

    @Test
    void byteRangesFollowRfc9110() {
        assertThat(ByteRange.parse(null, 100)).isNull();
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 10));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 10));
        assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange(90, 10));
        assertThat(ByteRange.parse("bytes=-30", 100)).isEqualTo(new ByteRange(70, 30));
        assertThat(ByteRange.parse("bytes=-300", 100)).isEqualTo(new ByteRange(0, 100));
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
        assertThat(ByteRange.parse("items=0-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=5-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=x-1", 100)).isNull();
        assertThat(kind(() -> ByteRange.parse("bytes=100-", 100))).isEqualTo(Kind.RANGE_NOT_SATISFIABLE);
        assertThat(kind(() -> ByteRange.parse("bytes=-0", 100))).isEqualTo(Kind.RANGE_NOT_SATISFIABLE);
        assertThat(kind(() -> ByteRange.parse("bytes=0-", 0))).isEqualTo(Kind.RANGE_NOT_SATISFIABLE);
    }

    @Test
    void keysAndPrefixes() {
        for (String ok : List.of("omics/a", "a", "a.b/c_d-e/F9", "x/" + "y".repeat(255))) {
            assertThat(ObjectKeys.check(ok)).isEqualTo(ok);
        }
        for (String bad : List.of("a/.hidden", ".a", "a/", "a b", "ä", "a/" + "y".repeat(256))) {
            assertThat(kind(() -> ObjectKeys.check(bad))).as(bad).isEqualTo(Kind.INVALID);
        }
        for (String ok : List.of("", "omics/", "omics/art", "o")) {
            assertThat(ObjectKeys.checkPrefix(ok)).isEqualTo(ok);
        }
        for (String bad : List.of("/", "../", "a//", "a/.b", "a/../", "a b")) {
            assertThat(kind(() -> ObjectKeys.checkPrefix(bad))).as(bad).isEqualTo(Kind.INVALID);
        }
        assertThat(PresignedResource.contentDisposition("a\"b.txt")).startsWith("attachment; filename=\"a_b.txt\"");
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> q = new java.util.HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    static FsObjectStore.Config config(Map<String, Object> values) {
        return (FsObjectStore.Config) Proxy.newProxyInstance(
                FsObjectStoreTest.class.getClassLoader(),
                new Class<?>[] {FsObjectStore.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }
}
