package org.karyo.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PendingUpload;
import org.karyo.storage.api.PutOptions;

/**
 * The behaviour every {@link ObjectStore} owes its callers, as one JUnit 5 suite: a store's test extends it and returns
 * the store under test from {@link #store()} (presigned URLs must be servable: the store's public URL must reach a
 * running server). Each test works under its own random prefix ({@link #prefix}), so one store (and one bucket) can
 * serve the whole class; objects are streamed from {@link TestData} and checked by digest, never held in memory.
 */
public abstract class ObjectStoreContract {

    protected static final int MIB = 1024 * 1024;
    /** The smallest part S3 accepts for all parts but the last. */
    protected static final int PART = 5 * MIB;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** This test's own key prefix, {@code contract/<random>/}. */
    protected final String prefix = "contract/" + UUID.randomUUID() + "/";

    /** The store under test. */
    protected abstract ObjectStore store();

    protected String key(String name) {
        return prefix + name;
    }

    protected static byte[] bytes(int length, long seed) {
        return TestData.bytes(length, seed);
    }

    protected static KaryoException thrown(ThrowingCallable call, Kind kind) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected a KaryoException " + kind).isInstanceOf(KaryoException.class);
        KaryoException e = (KaryoException) t;
        assertThat(e.kind()).as(e.type() + ": " + e.getMessage()).isEqualTo(kind);
        return e;
    }

    protected ObjectInfo put(String key, byte[] data) {
        return store().put(key, new ByteArrayInputStream(data), data.length, PutOptions.DEFAULT);
    }

    protected byte[] read(String key) {
        try (InputStream in = store().get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected byte[] read(String key, long offset, long length) {
        try (InputStream in = store().get(key, offset, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] slice(byte[] data, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(data, from, s, 0, s.length);
        return s;
    }

    // --- describe

    @Test
    void describesItself() {
        var d = store().describe();
        assertThat(d.type()).isNotBlank();
        assertThat(d.location()).isNotBlank();
        assertThat(d.publicUrl()).isNotBlank();
    }

    // --- put, stat, get

    @Test
    void putWithAKnownLengthStoresTheBytesAndReportsTheirDigests() {
        byte[] data = bytes(10_000, 1);
        ObjectInfo info = store().put(
                        key("a/known.bin"),
                        new ByteArrayInputStream(data),
                        data.length,
                        PutOptions.contentType("text/plain"));

        assertThat(info.key()).isEqualTo(key("a/known.bin"));
        assertThat(info.size()).isEqualTo(10_000);
        assertThat(info.sha256()).isEqualTo(TestData.sha256(data));
        assertThat(info.md5()).isEqualTo(TestData.md5(data));
        assertThat(info.etag()).isNotBlank().doesNotContain("\"");
        assertThat(info.lastModified()).isNotNull();
        assertThat(read(key("a/known.bin"))).isEqualTo(data);

        ObjectInfo stat = store().stat(key("a/known.bin")).orElseThrow();
        assertThat(stat.key()).isEqualTo(key("a/known.bin"));
        assertThat(stat.size()).isEqualTo(10_000);
        assertThat(stat.etag()).isEqualTo(info.etag());
        assertThat(stat.sha256()).isEqualTo(TestData.sha256(data));
        assertThat(stat.lastModified())
                .isBetween(
                        Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plusSeconds(60));
    }

    @Test
    void putWithAnUnknownLengthStreamsAMultiMebibyteObject() {
        long length = 12L * MIB + 12_345;
        ObjectInfo info = store().put(key("big/unknown.bin"), TestData.stream(length, 2), -1, PutOptions.DEFAULT);

        assertThat(info.size()).isEqualTo(length);
        assertThat(info.sha256()).isEqualTo(TestData.sha256(length, 2));
        assertThat(info.md5()).isEqualTo(TestData.md5(length, 2));
        assertThat(TestData.sha256(store().get(key("big/unknown.bin")))).isEqualTo(TestData.sha256(length, 2));
        assertThat(store().stat(key("big/unknown.bin")).orElseThrow().sha256()).isEqualTo(TestData.sha256(length, 2));
    }

    @Test
    void putWithAKnownLengthStreamsAMultiMebibyteObject() {
        long length = 7L * MIB + 3;
        ObjectInfo info = store().put(key("big/known.bin"), TestData.stream(length, 3), length, PutOptions.DEFAULT);

        assertThat(info.size()).isEqualTo(length);
        assertThat(info.sha256()).isEqualTo(TestData.sha256(length, 3));
        assertThat(TestData.sha256(store().get(key("big/known.bin")))).isEqualTo(TestData.sha256(length, 3));
    }

    @Test
    void anEmptyObjectIsAnObject() {
        ObjectInfo info = put(key("empty"), new byte[0]);
        assertThat(info.size()).isZero();
        assertThat(info.sha256()).isEqualTo(TestData.sha256(new byte[0]));
        assertThat(store().stat(key("empty")))
                .hasValueSatisfying(s -> assertThat(s.size()).isZero());
        assertThat(read(key("empty"))).isEmpty();
        assertThat(read(key("empty"), 0, -1)).isEmpty();
    }

    @Test
    void aDeclaredSha256ThatMatchesIsAcceptedAndStatReportsIt() {
        byte[] data = bytes(4096, 4);
        String sha = TestData.sha256(data);
        ObjectInfo info = store().put(
                        key("declared.bin"), new ByteArrayInputStream(data), data.length, new PutOptions(null, sha));
        assertThat(info.sha256()).isEqualTo(sha);
        assertThat(store().stat(key("declared.bin")).orElseThrow().sha256()).isEqualTo(sha);
    }

    @Test
    void aDeclaredSha256ThatDiffersRejectsTheObjectAndLeavesNothing() {
        byte[] data = bytes(4096, 5);
        PutOptions wrong = new PutOptions(null, TestData.sha256(bytes(4096, 6)));

        KaryoException e = thrown(
                () -> store().put(key("bad.bin"), new ByteArrayInputStream(data), data.length, wrong), Kind.INVALID);
        assertThat(e.type()).isEqualTo("checksum-mismatch");
        assertThat(store().stat(key("bad.bin"))).isEmpty();

        KaryoException streamed = thrown(
                () -> store().put(key("bad-streamed.bin"), TestData.stream(6L * MIB, 7), -1, wrong), Kind.INVALID);
        assertThat(streamed.type()).isEqualTo("checksum-mismatch");
        assertThat(store().stat(key("bad-streamed.bin"))).isEmpty();
        assertThat(store().list(prefix, null, 10)).isEmpty();
    }

    @Test
    void aRejectedReplacementLeavesThePreviousObjectAsItWas() {
        byte[] first = bytes(2000, 8);
        put(key("kept.bin"), first);
        byte[] second = bytes(3000, 9);

        thrown(
                () -> store().put(
                                key("kept.bin"),
                                new ByteArrayInputStream(second),
                                second.length,
                                new PutOptions(null, TestData.sha256(first))),
                Kind.INVALID);

        assertThat(read(key("kept.bin"))).isEqualTo(first);
        assertThat(store().stat(key("kept.bin")).orElseThrow().sha256()).isEqualTo(TestData.sha256(first));
    }

    @Test
    void putReplacesAnObject() {
        put(key("replaced.txt"), "first".getBytes(StandardCharsets.UTF_8));
        ObjectInfo second = put(key("replaced.txt"), "second version".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(read(key("replaced.txt")), StandardCharsets.UTF_8))
                .isEqualTo("second version");
        ObjectInfo stat = store().stat(key("replaced.txt")).orElseThrow();
        assertThat(stat.size()).isEqualTo(14);
        assertThat(stat.etag()).isEqualTo(second.etag());
        assertThat(stat.sha256()).isEqualTo(second.sha256());
    }

    @Test
    void dataShorterThanItsDeclaredLengthIsRefusedAndLeavesNothing() {
        byte[] data = bytes(100, 10);
        thrown(
                () -> store().put(key("short.bin"), new ByteArrayInputStream(data), 200, PutOptions.DEFAULT),
                Kind.INVALID);
        assertThat(store().stat(key("short.bin"))).isEmpty();
    }

    @Test
    void statOfAMissingObjectIsEmpty() {
        assertThat(store().stat(key("missing"))).isEmpty();
        assertThat(store().stat(key("no/such/folder/missing"))).isEmpty();
    }

    @Test
    void getOfAMissingObjectIsNotFound() {
        thrown(() -> store().get(key("missing")).close(), Kind.NOT_FOUND);
        thrown(() -> store().get(key("missing"), 10, 10).close(), Kind.NOT_FOUND);
    }

    @Test
    void rangedGetsReturnTheBytesAskedFor() {
        byte[] data = bytes(1000, 11);
        put(key("ranged.bin"), data);

        assertThat(read(key("ranged.bin"), 100, 50)).isEqualTo(slice(data, 100, 150));
        assertThat(read(key("ranged.bin"), 0, 1)).isEqualTo(slice(data, 0, 1));
        assertThat(read(key("ranged.bin"), 990, -1)).isEqualTo(slice(data, 990, 1000));
        assertThat(read(key("ranged.bin"), 0, -1)).isEqualTo(data);
        assertThat(read(key("ranged.bin"), 999, 1)).isEqualTo(slice(data, 999, 1000));
        // fewer bytes at the end of the object
        assertThat(read(key("ranged.bin"), 900, 500)).isEqualTo(slice(data, 900, 1000));
        assertThat(read(key("ranged.bin"), 500, 0)).isEmpty();
    }

    @Test
    void aRangeThatStartsBeyondTheObjectIsNotSatisfiable() {
        put(key("small.bin"), bytes(100, 12));
        thrown(() -> read(key("small.bin"), 100, 10), Kind.RANGE_NOT_SATISFIABLE);
        thrown(() -> read(key("small.bin"), 5000, -1), Kind.RANGE_NOT_SATISFIABLE);
        thrown(() -> read(key("small.bin"), -1, 10), Kind.INVALID);
    }

    // --- delete

    @Test
    void deleteRemovesAndIsIdempotent() {
        put(key("doomed/x.bin"), bytes(10, 13));
        put(key("doomed/y.bin"), bytes(10, 14));

        store().delete(key("doomed/x.bin"));
        assertThat(store().stat(key("doomed/x.bin"))).isEmpty();
        thrown(() -> store().get(key("doomed/x.bin")).close(), Kind.NOT_FOUND);
        store().delete(key("doomed/x.bin"));
        store().delete(key("never/existed.bin"));

        assertThat(store().stat(key("doomed/y.bin"))).isPresent();
        store().delete(key("doomed/y.bin"));
        assertThat(store().list(prefix, null, 10)).isEmpty();
        // a key can be written again under a prefix that was emptied
        put(key("doomed/x.bin"), bytes(10, 15));
        assertThat(store().stat(key("doomed/x.bin"))).isPresent();
    }

    // --- keys

    @Test
    void unsafeKeysAreInvalid() {
        for (String bad : List.of(
                "",
                "/absolute",
                prefix + "../escape",
                prefix + "a//b",
                prefix + "./a",
                prefix + "trailing/",
                prefix + "..",
                prefix + "with space",
                prefix + "back\\slash",
                prefix + "new\nline",
                prefix + "x".repeat(1100))) {
            thrown(() -> put(bad, new byte[1]), Kind.INVALID);
            thrown(() -> store().stat(bad), Kind.INVALID);
        }
        assertThat(store().list(prefix, null, 10)).isEmpty();
    }

    // --- list

    @Test
    void listReturnsTheObjectsUnderAPrefixInKeyOrderPageByPage() {
        List<String> names = List.of("a-c", "a/b", "a/c/d", "a0", "b/a", "c.txt", "z");
        for (String n : names) {
            put(key("list/" + n), n.getBytes(StandardCharsets.UTF_8));
        }
        put(key("listed-not/x"), bytes(5, 16)); // shares the characters of the prefix, not the prefix itself

        List<String> expected =
                names.stream().map(n -> key("list/" + n)).sorted().toList();
        List<ObjectInfo> all = store().list(key("list/"), null, 100);
        assertThat(all).extracting(ObjectInfo::key).containsExactlyElementsOf(expected);
        assertThat(all).allSatisfy(o -> {
            assertThat(o.etag()).isNotBlank().doesNotContain("\"");
            assertThat(o.lastModified()).isNotNull();
        });
        assertThat(all.get(0).size()).isEqualTo(3);

        List<String> paged = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10; page++) {
            List<ObjectInfo> p = store().list(key("list/"), after, 3);
            assertThat(p.size()).isLessThanOrEqualTo(3);
            if (p.isEmpty()) {
                break;
            }
            p.forEach(o -> paged.add(o.key()));
            after = p.get(p.size() - 1).key();
        }
        assertThat(paged).containsExactlyElementsOf(expected);

        assertThat(store().list(key("list/a"), null, 100))
                .extracting(ObjectInfo::key)
                .containsExactly(key("list/a-c"), key("list/a/b"), key("list/a/c/d"), key("list/a0"));
        assertThat(store().list(key("list/a/"), key("list/a/b"), 100))
                .extracting(ObjectInfo::key)
                .containsExactly(key("list/a/c/d"));
        assertThat(store().list(key("list/"), key("list/b"), 2))
                .extracting(ObjectInfo::key)
                .containsExactly(key("list/b/a"), key("list/c.txt"));
        assertThat(store().list(key("nothing/"), null, 10)).isEmpty();
        assertThat(store().list(prefix, null, 100)).hasSize(8);
    }

    // --- multipart

    @Test
    void multipartPartsCanBeListedReplacedAndJoined() {
        String key = key("mp/joined.bin");
        MultipartUpload upload = store().startMultipart(key, PutOptions.contentType("application/octet-stream"));
        assertThat(upload.key()).isEqualTo(key);
        assertThat(upload.uploadId()).isNotBlank();

        PartInfo one = store().putPart(upload, 1, TestData.stream(PART, 20), PART);
        assertThat(one.partNumber()).isEqualTo(1);
        assertThat(one.size()).isEqualTo(PART);
        assertThat(one.etag()).isNotBlank().doesNotContain("\"");
        PartInfo first2 = store().putPart(upload, 2, new ByteArrayInputStream(bytes(1000, 21)), 1000);
        PartInfo two = store().putPart(upload, 2, new ByteArrayInputStream(bytes(2000, 22)), 2000);
        assertThat(two.etag()).isNotEqualTo(first2.etag());

        List<PartInfo> parts = store().listParts(upload);
        assertThat(parts).extracting(PartInfo::partNumber).containsExactly(1, 2);
        assertThat(parts).extracting(PartInfo::size).containsExactly((long) PART, 2000L);
        assertThat(parts).extracting(PartInfo::etag).containsExactly(one.etag(), two.etag());
        assertThat(store().listMultipartUploads(key("mp/")))
                .extracting(PendingUpload::upload)
                .containsExactly(upload);
        // nothing to see before it completes
        assertThat(store().stat(key)).isEmpty();
        assertThat(store().list(prefix, null, 10)).isEmpty();

        ObjectInfo done = store().completeMultipart(upload, parts);

        long size = PART + 2000L;
        String sha = TestData.sha256(
                new SequenceInputStream(TestData.stream(PART, 20), new ByteArrayInputStream(bytes(2000, 22))));
        assertThat(done.key()).isEqualTo(key);
        assertThat(done.size()).isEqualTo(size);
        assertThat(TestData.sha256(store().get(key))).isEqualTo(sha);
        ObjectInfo stat = store().stat(key).orElseThrow();
        assertThat(stat.size()).isEqualTo(size);
        assertThat(stat.etag()).isEqualTo(done.etag());
        assertThat(store().listMultipartUploads(key("mp/"))).isEmpty();
    }

    @Test
    void aMultipartUploadWithADeclaredSha256IsCheckedWhenItCompletes() {
        byte[] tail = bytes(100, 24);
        String sha =
                TestData.sha256(new SequenceInputStream(TestData.stream(PART, 23), new ByteArrayInputStream(tail)));

        MultipartUpload good = store().startMultipart(key("mp/good.bin"), new PutOptions(null, sha));
        store().putPart(good, 1, TestData.stream(PART, 23), PART);
        store().putPart(good, 2, new ByteArrayInputStream(tail), tail.length);
        ObjectInfo done = store().completeMultipart(good, store().listParts(good));
        assertThat(done.sha256()).isEqualTo(sha);
        assertThat(store().stat(key("mp/good.bin")).orElseThrow().sha256()).isEqualTo(sha);

        MultipartUpload bad = store().startMultipart(key("mp/bad.bin"), new PutOptions(null, TestData.sha256(tail)));
        store().putPart(bad, 1, TestData.stream(PART, 23), PART);
        store().putPart(bad, 2, new ByteArrayInputStream(tail), tail.length);
        List<PartInfo> parts = store().listParts(bad);
        KaryoException e = thrown(() -> store().completeMultipart(bad, parts), Kind.INVALID);
        assertThat(e.type()).isEqualTo("checksum-mismatch");
        assertThat(store().stat(key("mp/bad.bin"))).isEmpty();
        assertThat(store().listMultipartUploads(key("mp/bad"))).isEmpty();
    }

    @Test
    void completingWithAPartThatWasNotReceivedOrIsTooSmallIsInvalid() {
        MultipartUpload upload = store().startMultipart(key("mp/wrong.bin"), PutOptions.DEFAULT);
        PartInfo small = store().putPart(upload, 1, new ByteArrayInputStream(bytes(10, 25)), 10);
        PartInfo last = store().putPart(upload, 2, new ByteArrayInputStream(bytes(10, 26)), 10);

        thrown(
                () -> store().completeMultipart(
                                upload, List.of(new PartInfo(1, "0123456789abcdef0123456789abcdef", 10, null))),
                Kind.INVALID);
        thrown(() -> store().completeMultipart(upload, List.of(small, last)), Kind.INVALID);
        thrown(() -> store().completeMultipart(upload, List.of()), Kind.INVALID);
        assertThat(store().stat(key("mp/wrong.bin"))).isEmpty();
        store().abortMultipart(upload);
    }

    @Test
    void abortDropsTheUploadAndItsParts() {
        MultipartUpload upload = store().startMultipart(key("mp/aborted.bin"), PutOptions.DEFAULT);
        store().putPart(upload, 1, new ByteArrayInputStream(bytes(1000, 27)), 1000);
        assertThat(store().listMultipartUploads(key("mp/"))).hasSize(1);

        store().abortMultipart(upload);

        assertThat(store().listMultipartUploads(key("mp/"))).isEmpty();
        thrown(() -> store().listParts(upload), Kind.NOT_FOUND);
        thrown(() -> store().putPart(upload, 2, new ByteArrayInputStream(bytes(10, 28)), 10), Kind.NOT_FOUND);
        assertThat(store().stat(key("mp/aborted.bin"))).isEmpty();
        store().abortMultipart(upload); // again: not an error
        store().abortMultipart(new MultipartUpload(key("mp/aborted.bin"), "no-such-upload"));
    }

    @Test
    void partsOfAnUnknownUploadOrWithABadNumberAreRefused() {
        MultipartUpload unknown =
                new MultipartUpload(key("mp/unknown.bin"), UUID.randomUUID().toString());
        thrown(() -> store().putPart(unknown, 1, new ByteArrayInputStream(new byte[1]), 1), Kind.NOT_FOUND);
        thrown(() -> store().listParts(unknown), Kind.NOT_FOUND);

        MultipartUpload upload = store().startMultipart(key("mp/numbers.bin"), PutOptions.DEFAULT);
        thrown(() -> store().putPart(upload, 0, new ByteArrayInputStream(new byte[1]), 1), Kind.INVALID);
        thrown(() -> store().putPart(upload, 10_001, new ByteArrayInputStream(new byte[1]), 1), Kind.INVALID);
        thrown(() -> store().startMultipart(prefix + "../x", PutOptions.DEFAULT), Kind.INVALID);
        store().abortMultipart(upload);
    }

    @Test
    void pendingUploadsAreListedByPrefix() {
        MultipartUpload a = store().startMultipart(key("one/a.bin"), PutOptions.DEFAULT);
        MultipartUpload b = store().startMultipart(key("one/b.bin"), PutOptions.DEFAULT);
        MultipartUpload c = store().startMultipart(key("two/c.bin"), PutOptions.DEFAULT);
        Instant before = Instant.now().minus(1, ChronoUnit.HOURS);

        List<PendingUpload> one = store().listMultipartUploads(key("one/"));
        assertThat(one).extracting(PendingUpload::upload).containsExactly(a, b);
        assertThat(one).allSatisfy(p -> assertThat(p.initiated()).isAfter(before));
        assertThat(store().listMultipartUploads(key("two/")))
                .extracting(PendingUpload::upload)
                .containsExactly(c);
        assertThat(store().listMultipartUploads(prefix)).hasSize(3);
        assertThat(store().listMultipartUploads(key("three/"))).isEmpty();
        for (MultipartUpload u : List.of(a, b, c)) {
            store().abortMultipart(u);
        }
        assertThat(store().listMultipartUploads(prefix)).isEmpty();
    }

    // --- presigned URLs

    @Test
    void aPresignedGetServesTheObjectWithRangesAndItsDownloadName() throws Exception {
        byte[] data = bytes(5000, 30);
        put(key("shared/report.bin"), data);
        URI url = store().presignGet(key("shared/report.bin"), Duration.ofMinutes(5), "report 2026.txt");

        HttpResponse<byte[]> whole =
                HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(whole.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).contains("attachment").contains("report"));

        HttpResponse<byte[]> range = HTTP.send(
                HttpRequest.newBuilder(url)
                        .header("Range", "bytes=100-199")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(slice(data, 100, 200));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/5000");

        URI plain = store().presignGet(key("shared/report.bin"), Duration.ofMinutes(5), null);
        assertThat(HTTP.send(HttpRequest.newBuilder(plain).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                        .body())
                .isEqualTo(data);
    }

    @Test
    void aPresignedPutStoresTheObject() throws Exception {
        URI url = store().presignPut(key("shared/put.bin"), Duration.ofMinutes(5));
        long length = 3L * MIB + 7;

        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(url)
                        .PUT(body(TestData.stream(length, 31), length))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ObjectInfo stat = store().stat(key("shared/put.bin")).orElseThrow();
        assertThat(stat.size()).isEqualTo(length);
        assertThat(TestData.sha256(store().get(key("shared/put.bin")))).isEqualTo(TestData.sha256(length, 31));
    }

    @Test
    void presignedPartUrlsUploadPartsThatCompleteIntoTheObject() throws Exception {
        String key = key("shared/parts.bin");
        MultipartUpload upload = store().startMultipart(key, PutOptions.DEFAULT);
        URI one = store().presignPart(upload, 1, PART, Duration.ofMinutes(5));
        URI two = store().presignPart(upload, 2, 777, Duration.ofMinutes(5));

        HttpResponse<String> r1 = HTTP.send(
                HttpRequest.newBuilder(one)
                        .PUT(body(TestData.stream(PART, 32), PART))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r2 = HTTP.send(
                HttpRequest.newBuilder(two)
                        .PUT(body(new ByteArrayInputStream(bytes(777, 33)), 777))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat(r1.headers().firstValue("ETag")).isPresent();

        List<PartInfo> parts = store().listParts(upload);
        assertThat(parts).extracting(PartInfo::size).containsExactly((long) PART, 777L);
        assertThat(parts.get(0).etag())
                .isEqualTo(r1.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
        store().completeMultipart(upload, parts);

        String sha = TestData.sha256(
                new SequenceInputStream(TestData.stream(PART, 32), new ByteArrayInputStream(bytes(777, 33))));
        assertThat(TestData.sha256(store().get(key))).isEqualTo(sha);
    }

    @Test
    void aPresignedPartUrlStoresABodyOfThePartsLengthOnly() throws Exception {
        String key = key("shared/bounded.bin");
        MultipartUpload upload = store().startMultipart(key, PutOptions.DEFAULT);
        URI url = store().presignPart(upload, 1, 1000, Duration.ofMinutes(5));

        // longer, shorter, and chunked (no Content-Length at all): refused, nothing stored
        long big = 3L * MIB;
        assertThat(refusal(HttpRequest.newBuilder(url).PUT(body(TestData.stream(big, 35), big))))
                .as("a longer body")
                .isTrue();
        assertThat(refusal(HttpRequest.newBuilder(url).PUT(body(new ByteArrayInputStream(bytes(999, 36)), 999))))
                .as("a shorter body")
                .isTrue();
        assertThat(refusal(HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> TestData.stream(big, 37)))))
                .as("a chunked body")
                .isTrue();
        assertThat(store().listParts(upload)).isEmpty();

        // the part's own length goes through
        HttpResponse<String> exact = HTTP.send(
                HttpRequest.newBuilder(url)
                        .PUT(body(new ByteArrayInputStream(bytes(1000, 38)), 1000))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(exact.statusCode()).as(exact.body()).isEqualTo(200);
        assertThat(store().listParts(upload)).extracting(PartInfo::size).containsExactly(1000L);
        store().abortMultipart(upload);
    }

    @Test
    void anExpiredOrTamperedPresignedUrlIsRefused() throws Exception {
        put(key("shared/expiring.bin"), bytes(100, 34));
        URI shortLived = store().presignGet(key("shared/expiring.bin"), Duration.ofSeconds(1), null);
        URI good = store().presignGet(key("shared/expiring.bin"), Duration.ofMinutes(5), null);
        URI put = store().presignPut(key("shared/other.bin"), Duration.ofSeconds(1));

        URI otherKey = URI.create(good.toString().replace("expiring.bin", "expiring.bim"));
        assertThat(status(otherKey, "GET")).isEqualTo(403);
        String signed = good.toString();
        int last = signed.length() - 1;
        URI flipped = URI.create(signed.substring(0, last) + (signed.charAt(last) == 'A' ? 'B' : 'A'));
        assertThat(status(flipped, "GET")).isEqualTo(403);

        // both short-lived URLs expire (signatures count whole seconds: at most about two)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (status(shortLived, "GET") != 403 && System.nanoTime() < deadline) {
            Thread.sleep(100); // the poll's interval
        }
        assertThat(status(shortLived, "GET")).isEqualTo(403);
        assertThat(status(put, "PUT")).isEqualTo(403);
        assertThat(store().stat(key("shared/other.bin"))).isEmpty();
        assertThat(status(good, "GET")).isEqualTo(200);
    }

    @Test
    void presigningChecksTheKeyTheExpiryAndThePartNumber() {
        thrown(() -> store().presignGet(prefix + "../x", Duration.ofMinutes(1), null), Kind.INVALID);
        thrown(() -> store().presignGet(key("x"), Duration.ZERO, null), Kind.INVALID);
        thrown(() -> store().presignPut(key("x"), Duration.ofDays(8)), Kind.INVALID);
        MultipartUpload upload = store().startMultipart(key("mp/presign.bin"), PutOptions.DEFAULT);
        thrown(() -> store().presignPart(upload, 0, 10, Duration.ofMinutes(1)), Kind.INVALID);
        thrown(() -> store().presignPart(upload, 1, -1, Duration.ofMinutes(1)), Kind.INVALID);
        store().abortMultipart(upload);
    }

    /**
     * Whether the server refused the request: a 4xx answer, or the connection closed while the body was still being
     * sent (how S3 servers refuse a body they will not read to its end).
     */
    private static boolean refusal(HttpRequest.Builder request) throws InterruptedException {
        try {
            int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return status >= 400 && status < 500;
        } catch (IOException e) {
            return true;
        }
    }

    private static int status(URI url, String method) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (method.equals("PUT")) {
            b.PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}));
        } else {
            b.GET();
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A request body of exactly {@code length} bytes streamed from {@code in} (a Content-Length, not chunked). */
    protected static HttpRequest.BodyPublisher body(InputStream in, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), length);
    }
}
