package org.karyo.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class S3ServerTest {

    @Test
    void startsARealS3ServerThatAnswersAsS3AndStopsOnClose() throws Exception {
        S3Server s3 = S3Server.start();
        try {
            assertThat(s3.alive()).isTrue();
            assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(s3.accessKey()).isNotBlank();
            assertThat(s3.secretKey()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.isDirectory(s3.dataFolder())).isTrue();

            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(s3.endpoint().resolve("/some-bucket/some-key"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            // an S3 error document (s3proxy looks for the bucket before it checks who asks)
            assertThat(r.statusCode()).isIn(403, 404);
            assertThat(r.body()).contains("<Error>").contains("<Code>");
        } finally {
            s3.close();
        }
        assertThat(s3.alive()).isFalse();
        assertThat(Files.exists(s3.dataFolder())).isFalse();
    }

    @Test
    void findsTheJarThatTheBuildCopied() {
        assertThat(S3Server.locateJar().getFileName().toString()).endsWith(".jar");
    }

    @Test
    void generatedDataIsRepeatableAndStreamed() throws Exception {
        assertThat(TestData.bytes(1000, 7)).isEqualTo(TestData.bytes(1000, 7));
        assertThat(TestData.bytes(1000, 7)).isNotEqualTo(TestData.bytes(1000, 8));
        assertThat(TestData.sha256(TestData.bytes(1000, 7))).isEqualTo(TestData.sha256(1000, 7));
        assertThat(TestData.md5(TestData.bytes(1000, 7))).isEqualTo(TestData.md5(1000, 7));
        assertThat(TestData.count(TestData.stream(3L * 1024 * 1024 * 1024, 9))).isEqualTo(3L * 1024 * 1024 * 1024);
    }
}
