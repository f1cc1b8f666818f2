package org.karyo.storage.minio.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import org.karyo.api.EnvOverrides;

/**
 * The effective configuration of the MinIO store: {@link MinioObjectStore.Config} with the environment's overrides. A
 * {@code KARYO_MINIO_*} variable wins over EBDMS's {@code .env} name, which wins over the configuration key.
 *
 * @param endpoint where Karyo reaches the server ({@code http://minio:9000})
 * @param publicEndpoint where clients reach it, the host presigned URLs are signed for
 * @param region the region requests are signed for
 * @param accessKey the access key
 * @param secretKey the secret key
 * @param bucket the bucket that holds every object
 * @param partSize the part size of uploads that need several parts, in bytes
 */
record MinioSettings(
        URI endpoint,
        URI publicEndpoint,
        String region,
        String accessKey,
        String secretKey,
        String bucket,
        long partSize) {

    static final String ENDPOINT = "endpoint";
    static final String PUBLIC_ENDPOINT = "public.endpoint";
    static final String REGION = "region";
    static final String ACCESS_KEY = "access.key";
    static final String SECRET_KEY = "secret.key";
    static final String BUCKET = "bucket";
    static final String PART_SIZE = "part.size.mib";

    /** {configuration key, Karyo variable, EBDMS variable}. */
    static final String[][] VARIABLES = {
        {ENDPOINT, "KARYO_MINIO_ENDPOINT", "MINIO_ENDPOINT_URL"},
        {PUBLIC_ENDPOINT, "KARYO_MINIO_PUBLIC_ENDPOINT", "MINIO_PUBLIC_URL"},
        {REGION, "KARYO_MINIO_REGION", "MINIO_REGION"},
        {ACCESS_KEY, "KARYO_MINIO_ACCESS_KEY", "MINIO_ROOT_USER"},
        {SECRET_KEY, "KARYO_MINIO_SECRET_KEY", "MINIO_ROOT_PASSWORD"},
        {BUCKET, "KARYO_MINIO_BUCKET", "MINIO_DEFAULT_BUCKET"},
        {PART_SIZE, "KARYO_MINIO_PART_SIZE_MIB", null}
    };

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    @Override
    public String toString() {
        // never the secret key
        return "endpoint=" + endpoint + ", public.endpoint=" + publicEndpoint + ", region=" + region + ", bucket="
                + bucket + ", part.size.mib=" + partSize / (1024 * 1024);
    }

    /**
     * Applies the environment and checks the values.
     *
     * @throws IllegalArgumentException naming the key (and its variables) whose value is wrong, never a secret's value
     */
    static MinioSettings resolve(MinioObjectStore.Config config, EnvOverrides env) {
        URI endpoint = url(ENDPOINT, value(env, ENDPOINT, config.endpoint()), true);
        String publicValue = value(env, PUBLIC_ENDPOINT, config.public_endpoint());
        URI publicEndpoint = publicValue.isEmpty() ? endpoint : url(PUBLIC_ENDPOINT, publicValue, true);
        String region = value(env, REGION, config.region());
        if (region.isEmpty()) {
            region = "us-east-1";
        }
        String accessKey = value(env, ACCESS_KEY, config.access_key());
        String secretKey = value(env, SECRET_KEY, config.secret_key());
        if (accessKey.isEmpty()) {
            throw invalid(ACCESS_KEY, "is required");
        }
        if (secretKey.isEmpty()) {
            throw invalid(SECRET_KEY, "is required");
        }
        String bucket = value(env, BUCKET, config.bucket());
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw invalid(
                    BUCKET,
                    "must be an S3 bucket name (3-63 lower-case letters, digits, '.' and '-'), not '" + bucket + "'");
        }
        String part = value(env, PART_SIZE, Integer.toString(config.part_size_mib()));
        int mib;
        try {
            mib = Integer.parseInt(part);
        } catch (NumberFormatException e) {
            throw invalid(PART_SIZE, "must be a whole number of MiB, not '" + part + "'");
        }
        if (mib < 5 || mib > 1024) {
            throw invalid(PART_SIZE, "must be between 5 and 1024 MiB, not " + mib);
        }
        return new MinioSettings(endpoint, publicEndpoint, region, accessKey, secretKey, bucket, mib * 1024L * 1024L);
    }

    private static String value(EnvOverrides env, String key, String configured) {
        for (String[] v : VARIABLES) {
            if (v[0].equals(key)) {
                String c = configured == null ? "" : configured.strip();
                String fromEbdms = v[2] == null ? c : env.get(v[2], c);
                return env.get(v[1], fromEbdms).strip();
            }
        }
        throw new IllegalStateException("no such key " + key);
    }

    private static URI url(String key, String value, boolean required) {
        if (value.isEmpty() && required) {
            throw invalid(key, "is required (an http(s) URL such as http://minio:9000)");
        }
        String v = value;
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI uri = new URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null
                    || uri.getUserInfo() != null) {
                throw new URISyntaxException(v, "not a bare http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(key, "must be an http(s) URL with no path, such as http://minio:9000, not '" + v + "'");
        }
    }

    static IllegalArgumentException invalid(String key, String problem) {
        for (String[] v : VARIABLES) {
            if (v[0].equals(key)) {
                String vars = v[2] == null ? v[1] : v[1] + " or " + v[2];
                return new IllegalArgumentException(
                        MinioObjectStore.PID + ": " + key + " (env " + vars + ") " + problem);
            }
        }
        return new IllegalArgumentException(MinioObjectStore.PID + ": " + key + " " + problem);
    }
}
