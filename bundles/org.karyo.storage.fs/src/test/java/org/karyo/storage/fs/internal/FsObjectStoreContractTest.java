package org.karyo.storage.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.lifecycle.SingletonResourceProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.rest.internal.PlatformSlice;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.testing.ObjectStoreContract;
import org.karyo.storage.testing.TestData;

/**
 * The filesystem store against the object store contract, its presigned URLs served over real HTTP by the real
 * {@link PresignedResource}: CXF (the runtime under the Aries whiteboard) on Jetty, behind the platform's filters, JSON
 * provider and problem mapper, at the public URL the store signs for.
 */
class FsObjectStoreContractTest extends ObjectStoreContract {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path folder;
    private static Server server;
    private static FsObjectStore store;

    @BeforeAll
    static void start() throws IOException {
        folder = Files.createTempDirectory("karyo-fs-contract-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI publicUrl = URI.create("http://127.0.0.1:" + port);
        store = new FsObjectStore(
                new FsSettings(folder.resolve("storage"), publicUrl), EnvOverrides.of(Map.of()), Clock.systemUTC());
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress(publicUrl + "/api");
        factory.setResourceClasses(PresignedResource.class);
        factory.setResourceProvider(
                PresignedResource.class, new SingletonResourceProvider(new PresignedResource(store)));
        factory.setProviders(PlatformSlice.providers(PlatformSlice.anonymousOnly()));
        server = factory.create();
    }

    @AfterAll
    static void stop() throws IOException {
        server.destroy();
        try (var walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    // --- what only the filesystem store's own HTTP resource shows

    @Test
    void theResourceIsDocumentedAsPublicWithoutItsKeyPattern() {
        JsonNode doc = PlatformSlice.openApi(List.of(PresignedResource.class));
        JsonNode path = doc.at("/paths/~1storage~1presigned~1objects~1{key}");
        assertThat(path.isMissingNode()).as(doc.get("paths").toString()).isFalse();
        assertThat(path.has("get")).isTrue();
        assertThat(path.has("put")).isTrue();
        assertThat(doc.toString()).doesNotContain(".+");
    }

    @Test
    void aRefusedLinkIsA403Problem() throws Exception {
        put(key("p/x.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        URI url = store.presignGet(key("p/x.txt"), Duration.ofMinutes(1), null);
        URI forged = URI.create(url.toString().replaceAll("signature=[^&]+", "signature=forged"));

        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(forged).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(403);
        assertThat(p.get("detail").asText()).isEqualTo("This link is not valid");
    }

    @Test
    void aGetUrlDoesNotAllowAPutNorAnotherDownloadName() throws Exception {
        put(key("p/y.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        URI get = store.presignGet(key("p/y.txt"), Duration.ofMinutes(1), "y.txt");

        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(get)
                        .PUT(HttpRequest.BodyPublishers.ofString("overwritten"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(new String(read(key("p/y.txt")), StandardCharsets.UTF_8)).isEqualTo("hello");

        URI renamed = URI.create(get.toString().replace("filename=y.txt", "filename=evil.html"));
        assertThat(HTTP.send(HttpRequest.newBuilder(renamed).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aRangeBeyondTheObjectIsA416AndASuffixRangeWorks() throws Exception {
        put(key("p/r.bin"), bytes(100, 40));
        URI url = store.presignGet(key("p/r.bin"), Duration.ofMinutes(1), null);

        HttpResponse<String> beyond = HTTP.send(
                HttpRequest.newBuilder(url).header("Range", "bytes=100-").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(JSON.readTree(beyond.body()).get("type").asText()).endsWith("range-not-satisfiable");

        HttpResponse<byte[]> suffix = HTTP.send(
                HttpRequest.newBuilder(url).header("Range", "bytes=-10").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).hasSize(10);
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 90-99/100");
        assertThat(suffix.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void theStoredMediaTypeAndAUnicodeDownloadNameAreServed() throws Exception {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        store.put(key("p/t.csv"), new ByteArrayInputStream(csv), csv.length, PutOptions.contentType("text/csv"));
        URI url = store.presignGet(key("p/t.csv"), Duration.ofMinutes(1), "résumé 1.csv");

        HttpResponse<byte[]> r =
                HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(csv);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"r_sum_ 1.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.csv");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aPresignedPutWithoutContentLengthIsStreamedToo() throws Exception {
        URI url = store.presignPut(key("p/chunked.bin"), Duration.ofMinutes(1));
        long length = 2L * MIB + 1;

        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> TestData.stream(length, 41)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(store.stat(key("p/chunked.bin")).orElseThrow().sha256()).isEqualTo(TestData.sha256(length, 41));
    }
}
