package org.karyo.storage.minio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.testing.ObjectStoreContract;
import org.karyo.storage.testing.S3Server;
import org.karyo.storage.testing.TestData;

/**
 * The MinIO store against the object store contract on a real S3 server (s3proxy). The store reaches the server at
 * {@code 127.0.0.1} and signs presigned URLs for {@code localhost} (its public endpoint), so every presigned test also
 * shows that the URLs are signed for the public host. Parts are 5 MiB and one PUT carries at most 6 MiB, so the
 * multi-mebibyte tests go through the multipart paths too.
 */
class MinioObjectStoreContractTest extends ObjectStoreContract {

    static S3Server s3;
    static MinioObjectStore store;

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        store = new MinioObjectStore(settings(s3, "karyo-contract"), 6L * MIB);
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static MinioSettings settings(S3Server s3, String bucket) {
        URI endpoint = s3.endpoint();
        URI publicEndpoint = URI.create("http://localhost:" + endpoint.getPort());
        return new MinioSettings(
                endpoint, publicEndpoint, S3Server.REGION, s3.accessKey(), s3.secretKey(), bucket, 5L * MIB);
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    // --- what only the MinIO store shows

    @Test
    void presignedUrlsAreSignedForThePublicEndpoint() {
        put(key("pub.bin"), bytes(10, 50));
        assertThat(store.presignGet(key("pub.bin"), Duration.ofMinutes(1), null).getHost())
                .isEqualTo("localhost");
        assertThat(store.describe().publicUrl()).startsWith("http://localhost:");
        assertThat(store.describe().location()).startsWith("http://127.0.0.1:");
        assertThat(store.describe().bucket()).isEqualTo("karyo-contract");
        assertThat(store.describe().toString()).doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
    }

    @Test
    void aPresignedPartUrlSignsItsContentLengthSoTheServerItselfRefusesAnotherLength() throws Exception {
        var upload = store.startMultipart(key("mp/signed-length.bin"), PutOptions.DEFAULT);
        URI url = store.presignPart(upload, 1, 1000, Duration.ofMinutes(5));
        assertThat(url.getQuery()).contains("X-Amz-SignedHeaders=content-length;host");
        // S3 recomputes the signature with the Content-Length the request carries: another length does not match
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> shorter = http.send(
                HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(999, 54)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(shorter.statusCode()).isEqualTo(403);
        assertThat(shorter.body()).contains("SignatureDoesNotMatch");
        // a URL whose length was tampered with is refused the same way
        URI tampered = URI.create(url.toString().replace("partNumber=1", "partNumber=2"));
        HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(tampered)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(1000, 55)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(store.listParts(upload)).isEmpty();
        store.abortMultipart(upload);
    }

    @Test
    void aLongObjectOfKnownLengthStreamsInPartsAndIsCheckedBeforeItsLastPart() {
        long length = 13L * MIB + 5;
        ObjectInfo info = store.put(
                key("parts/known.bin"),
                TestData.stream(length, 51),
                length,
                new PutOptions(null, TestData.sha256(length, 51)));
        assertThat(info.sha256()).isEqualTo(TestData.sha256(length, 51));
        assertThat(info.etag()).contains("-"); // a multipart object's etag
        assertThat(TestData.sha256(store.get(key("parts/known.bin")))).isEqualTo(TestData.sha256(length, 51));

        KaryoException e = (KaryoException) catchThrowable(() -> store.put(
                key("parts/wrong.bin"), TestData.stream(length, 52), length, new PutOptions(null, info.sha256())));
        assertThat(e.type()).isEqualTo("checksum-mismatch");
        assertThat(store.stat(key("parts/wrong.bin"))).isEmpty();
        assertThat(store.listMultipartUploads(key("parts/"))).isEmpty(); // aborted, not left for the sweeper
    }

    @Test
    void aSinglePutThatDoesNotMatchItsDeclaredSha256IsCutBeforeItsLastChunk() {
        long length = 5L * MIB + 17;
        put(key("single/kept.bin"), bytes(100, 57));
        KaryoException e = (KaryoException) catchThrowable(() -> store.put(
                key("single/kept.bin"),
                TestData.stream(length, 58),
                length,
                new PutOptions(null, TestData.sha256(length, 59))));
        assertThat(e.type()).isEqualTo("checksum-mismatch");
        assertThat(store.stat(key("single/kept.bin")).orElseThrow().size()).isEqualTo(100);
        assertThat(read(key("single/kept.bin"))).isEqualTo(bytes(100, 57));
    }

    @Test
    void theDigestsOfAnUndeclaredObjectAreAddedToItsMetadata() {
        byte[] data = bytes(3000, 53);
        store.put(key("meta.bin"), new ByteArrayInputStream(data), data.length, PutOptions.contentType("text/plain"));
        ObjectInfo stat = store.stat(key("meta.bin")).orElseThrow();
        assertThat(stat.sha256()).isEqualTo(TestData.sha256(data));
        assertThat(stat.md5()).isEqualTo(TestData.md5(data));
        // listing does not read metadata
        assertThat(store.list(key("meta"), null, 10)).singleElement().satisfies(o -> {
            assertThat(o.size()).isEqualTo(3000);
            assertThat(o.etag()).isEqualTo(stat.etag());
        });
    }

    @Test
    void aPartOfUnknownLengthIsHeldInMemoryUpToThePartSize() {
        var upload = store.startMultipart(key("mp/unknown-part.bin"), PutOptions.DEFAULT);
        store.putPart(upload, 1, TestData.stream(PART, 54), -1);
        assertThat(store.listParts(upload)).singleElement().satisfies(p -> assertThat(p.size())
                .isEqualTo(PART));
        KaryoException e =
                (KaryoException) catchThrowable(() -> store.putPart(upload, 2, TestData.stream(PART + 1L, 55), -1));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        store.abortMultipart(upload);
    }

    @Test
    void aSecondStoreOnTheSameBucketFindsItReady() {
        MinioObjectStore again = new MinioObjectStore(settings(s3, "karyo-contract"));
        try {
            put(key("again.bin"), bytes(5, 56));
            assertThat(again.stat(key("again.bin"))).isPresent();
        } finally {
            again.close();
        }
    }

    @Test
    void anUnreachableServerIsUnavailableNotAnError() {
        MinioSettings down = new MinioSettings(
                URI.create("http://127.0.0.1:1"),
                URI.create("http://127.0.0.1:1"),
                S3Server.REGION,
                "x",
                "y",
                "karyo-down",
                5L * MIB);
        MinioObjectStore offline = new MinioObjectStore(down); // activation does not fail
        try {
            for (Runnable r : List.<Runnable>of(
                    () -> offline.stat("m/x"),
                    () -> offline.put("m/x", new ByteArrayInputStream(new byte[1]), 1, PutOptions.DEFAULT),
                    () -> offline.list("m/", null, 10))) {
                KaryoException e = (KaryoException) catchThrowable(r::run);
                assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                assertThat(e.type()).isEqualTo("storage-unavailable");
                assertThat(e.getMessage()).doesNotContain("127.0.0.1");
            }
            // presigning needs no server
            assertThat(offline.presignPut("m/x", Duration.ofMinutes(1)).getPort())
                    .isEqualTo(1);
        } finally {
            offline.close();
        }
    }

    @Test
    void wrongCredentialsAreUnavailableWithoutTheServersText() {
        MinioSettings wrong = new MinioSettings(
                s3.endpoint(),
                s3.endpoint(),
                S3Server.REGION,
                s3.accessKey(),
                "wrong-secret",
                "karyo-contract",
                5L * MIB);
        MinioObjectStore bad = new MinioObjectStore(wrong);
        try {
            KaryoException e = (KaryoException) catchThrowable(() -> bad.stat(key("x")));
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("Object storage is unavailable");
        } finally {
            bad.close();
        }
    }

    @Test
    void closingReleasesTheHttpThreads() {
        MinioObjectStore s = new MinioObjectStore(settings(s3, "karyo-contract"));
        s.stat(key("nothing"));
        s.close();
        KaryoException e = (KaryoException) catchThrowable(() -> s.stat(key("x")));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }
}
