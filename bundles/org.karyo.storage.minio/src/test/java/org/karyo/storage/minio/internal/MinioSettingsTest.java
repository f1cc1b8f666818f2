package org.karyo.storage.minio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;

class MinioSettingsTest {

    static MinioObjectStore.Config config(Map<String, Object> values) {
        return (MinioObjectStore.Config) Proxy.newProxyInstance(
                MinioSettingsTest.class.getClassLoader(),
                new Class<?>[] {MinioObjectStore.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    private static MinioSettings resolve(Map<String, Object> cfg, Map<String, String> env) {
        return MinioSettings.resolve(config(cfg), EnvOverrides.of(env));
    }

    @Test
    void ebdmsDotEnvNamesAreAccepted() {
        MinioSettings s = resolve(
                Map.of(),
                Map.of(
                        "MINIO_ENDPOINT_URL", "http://127.0.0.1:9000",
                        "MINIO_PUBLIC_URL", "https://files.example.org/",
                        "MINIO_ROOT_USER", "change-me",
                        "MINIO_ROOT_PASSWORD", "change-me-too",
                        "MINIO_REGION", "eu-central-1",
                        "MINIO_DEFAULT_BUCKET", "ebdms-projects-bucket"));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(s.publicEndpoint()).isEqualTo(URI.create("https://files.example.org"));
        assertThat(s.accessKey()).isEqualTo("change-me");
        assertThat(s.secretKey()).isEqualTo("change-me-too");
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.bucket()).isEqualTo("ebdms-projects-bucket");
        assertThat(s.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(s.toString()).doesNotContain("change-me-too");
    }

    @Test
    void karyoVariablesWinOverEbdmsNamesWhichWinOverTheConfiguration() {
        MinioSettings s = resolve(
                Map.of(
                        "endpoint",
                        "http://cfg:9000",
                        "access.key",
                        "cfg",
                        "secret.key",
                        "cfg-secret",
                        "bucket",
                        "cfg-bucket",
                        "part.size.mib",
                        32),
                Map.of(
                        "MINIO_ENDPOINT_URL", "http://ebdms:9000",
                        "KARYO_MINIO_ENDPOINT", "http://karyo:9000",
                        "MINIO_DEFAULT_BUCKET", "ebdms-bucket"));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://karyo:9000"));
        assertThat(s.publicEndpoint()).isEqualTo(URI.create("http://karyo:9000"));
        assertThat(s.bucket()).isEqualTo("ebdms-bucket");
        assertThat(s.accessKey()).isEqualTo("cfg");
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.partSize()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void missingOrWrongValuesNameTheKeyAndItsVariablesButNeverASecret() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of()))
                .hasMessageContaining("endpoint")
                .hasMessageContaining("MINIO_ENDPOINT_URL");
        Map<String, Object> base = Map.of("endpoint", "http://m:9000", "access.key", "a", "secret.key", "s3cr3t");
        assertThatThrownBy(() -> resolve(Map.of("endpoint", "http://m:9000", "access.key", "a"), Map.of()))
                .hasMessageContaining("secret.key")
                .hasMessageContaining("MINIO_ROOT_PASSWORD");
        assertThatThrownBy(() ->
                        resolve(Map.of("endpoint", "minio:9000", "access.key", "a", "secret.key", "s3cr3t"), Map.of()))
                .hasMessageContaining("http(s) URL")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> resolve(base, Map.of("MINIO_DEFAULT_BUCKET", "Not_A_Bucket")))
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> resolve(base, Map.of("KARYO_MINIO_PART_SIZE_MIB", "4")))
                .hasMessageContaining("part.size.mib");
        assertThatThrownBy(() -> resolve(
                        Map.of("endpoint", "http://m:9000/path", "access.key", "a", "secret.key", "s3cr3t"), Map.of()))
                .hasMessageContaining("no path");
    }

    @Test
    void onlyAPolicyThatLetsAnyoneInIsPublic() {
        assertThat(MinioObjectStore.grantsAnonymousAccess("")).isFalse();
        assertThat(MinioObjectStore.grantsAnonymousAccess(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]},"
                                + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}"))
                .isTrue();
        assertThat(MinioObjectStore.grantsAnonymousAccess(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}}"))
                .isTrue();
        assertThat(MinioObjectStore.grantsAnonymousAccess(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::1:user/app\"]},"
                                + "\"Action\":[\"s3:GetObject\"]}]}"))
                .isFalse();
        assertThat(MinioObjectStore.grantsAnonymousAccess(
                        "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]}"))
                .isFalse();
        assertThat(MinioObjectStore.grantsAnonymousAccess("not json")).isTrue();
        assertThat(MinioObjectStore.contentDisposition("résumé.pdf"))
                .isEqualTo("attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    }
}
