package org.karyo.storage.minio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.DeleteBucketPolicyArgs;
import io.minio.Directive;
import io.minio.GetBucketPolicyArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PendingUpload;
import org.karyo.storage.api.PutOptions;
import org.karyo.storage.api.StoreDescription;
import org.karyo.storage.api.StreamDigests;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ObjectStore} on a MinIO (or any S3) server: one bucket, created on first contact, and kept private. It is
 * registered with {@code service.ranking} 100, above the filesystem store, once {@code etc/}{@value #PID}{@code .cfg}
 * exists (the endpoint and credentials may then come from the environment, with EBDMS's {@code .env} names).
 *
 * <p>Uploads stream ({@link S3Http}): an object of known length up to 5 GiB is one {@code PUT}; a longer one, or
 * one of unknown length, is a multipart upload of {@code part.size.mib} parts (for an unknown length, one part at a
 * time is held in memory, since S3 needs each part's length up front). SHA-256 and MD5 are computed as the bytes pass.
 * A declared SHA-256 travels as the user metadata {@code x-amz-meta-sha256} and is checked before the last byte leaves,
 * so a mismatch stores nothing; otherwise the computed digests are added afterwards with a copy of the object onto
 * itself (a metadata update on MinIO), for objects up to 5 GiB. {@link #stat} reports the SHA-256 from that metadata.
 * A multipart upload started with a declared SHA-256 is checked when it completes by reading the object back once.
 *
 * <p>Presigned URLs are signed by a second client built for the public endpoint, because the signature covers the
 * host. Multipart uploads use the SDK's lower-level calls (create, list parts, complete, abort, list uploads).
 */
@Component(
        service = ObjectStore.class,
        configurationPid = MinioObjectStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"service.ranking:Integer=100", ObjectStore.TYPE + "=" + MinioObjectStore.TYPE})
@Designate(ocd = MinioObjectStore.Config.class)
public final class MinioObjectStore implements ObjectStore {

    static final String PID = "org.karyo.storage.minio";
    static final String TYPE = "minio";
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    static final String META_SHA256 = "sha256";
    static final String META_MD5 = "md5";

    private static final Logger LOG = LoggerFactory.getLogger(MinioObjectStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Configuration of the MinIO store (PID {@value #PID}); environment variables win. */
    @ObjectClassDefinition(
            name = "Karyo MinIO object store",
            description = "Objects in one bucket of a MinIO or S3 server; registered only when this is configured")
    public @interface Config {
        @AttributeDefinition(
                description = "Where Karyo reaches the server, http(s)://host:port. Env KARYO_MINIO_ENDPOINT or"
                        + " MINIO_ENDPOINT_URL")
        String endpoint() default "";

        @AttributeDefinition(
                name = "Public endpoint",
                description = "Where clients reach the server (presigned URLs are signed for it); empty: the"
                        + " endpoint. Env KARYO_MINIO_PUBLIC_ENDPOINT or MINIO_PUBLIC_URL")
        String public_endpoint() default "";

        @AttributeDefinition(description = "The region requests are signed for. Env KARYO_MINIO_REGION or MINIO_REGION")
        String region() default "us-east-1";

        @AttributeDefinition(
                name = "Access key",
                description = "Env KARYO_MINIO_ACCESS_KEY or MINIO_ROOT_USER (prefer the environment)")
        String access_key() default "";

        @AttributeDefinition(
                name = "Secret key",
                type = AttributeType.PASSWORD,
                description = "Env KARYO_MINIO_SECRET_KEY or MINIO_ROOT_PASSWORD (prefer the environment: never"
                        + " commit it to a .cfg file)")
        String secret_key() default "";

        @AttributeDefinition(
                description = "The bucket, created if missing and kept private. Env KARYO_MINIO_BUCKET or"
                        + " MINIO_DEFAULT_BUCKET")
        String bucket() default "karyo";

        @AttributeDefinition(
                name = "Part size (MiB)",
                description = "Part size of uploads that need several parts (5-1024); one part is held in memory"
                        + " while an upload of unknown length streams. Env KARYO_MINIO_PART_SIZE_MIB",
                min = "5",
                max = "1024")
        int part_size_mib() default 16;
    }

    private final MinioSettings settings;
    private final OkHttpClient http;
    private final MinioAsyncClient client;
    private final MinioAsyncClient presigner;
    private final S3Http s3;
    private final long singlePutMax;
    /** Uploads known to exist (started or checked here): a part for any other is checked first. */
    private final Set<String> liveUploads =
            Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 1000;
                }
            }));

    private volatile boolean bucketReady;

    /** Constructed by SCR. */
    @Activate
    public MinioObjectStore(Config config) {
        this(MinioSettings.resolve(config, EnvOverrides.system()));
        LOG.info("MinIO object store active ({})", settings);
    }

    MinioObjectStore(MinioSettings settings) {
        this(settings, MAX_SINGLE_PUT);
    }

    /** @param singlePutMax the longest object sent in one PUT (5 GiB; tests lower it) */
    MinioObjectStore(MinioSettings settings, long singlePutMax) {
        this.settings = settings;
        this.singlePutMax = singlePutMax;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.MINUTES)
                .writeTimeout(5, TimeUnit.MINUTES)
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        this.client = MinioAsyncClient.builder()
                .endpoint(settings.endpoint().toString())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http)
                .build();
        // signs URLs for the host clients use; never sends a request (the region is given, so no lookup)
        this.presigner = MinioAsyncClient.builder()
                .endpoint(settings.publicEndpoint().toString())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http)
                .build();
        this.s3 = new S3Http(http, settings);
        try {
            ensureBucket();
        } catch (KaryoException e) {
            LOG.warn("MinIO store: the bucket {} could not be checked yet; it will be on first use", settings.bucket());
        }
    }

    /** Releases OkHttp's threads and connections (they would otherwise linger about a minute). */
    @Deactivate
    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public StoreDescription describe() {
        return new StoreDescription(
                TYPE,
                settings.endpoint().toString(),
                settings.bucket(),
                settings.publicEndpoint().toString());
    }

    // --- bucket

    /** Creates the bucket if it is missing and removes any anonymous access (EBDMS minio-init's {@code none}). */
    void ensureBucket() {
        if (bucketReady) {
            return;
        }
        synchronized (this) {
            if (bucketReady) {
                return;
            }
            String bucket = settings.bucket();
            try {
                if (!client.bucketExists(
                                BucketExistsArgs.builder().bucket(bucket).build())
                        .get()) {
                    try {
                        client.makeBucket(MakeBucketArgs.builder()
                                        .bucket(bucket)
                                        .region(settings.region())
                                        .build())
                                .get();
                        LOG.info("MinIO store: created the bucket {}", bucket);
                    } catch (Exception e) {
                        String code = code(e);
                        if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                            throw e;
                        }
                    }
                }
                try {
                    keepPrivate(bucket);
                } catch (Exception e) {
                    // a server without (or refusing) bucket policies still stores objects
                    LOG.warn("MinIO store: the policy of the bucket {} could not be checked ({})", bucket, code(e));
                }
                bucketReady = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failures.unavailable();
            } catch (Exception e) {
                throw Failures.map(e, "check the bucket", null, null);
            }
        }
    }

    private void keepPrivate(String bucket) throws Exception {
        String policy;
        try {
            policy = client.getBucketPolicy(
                            GetBucketPolicyArgs.builder().bucket(bucket).build())
                    .get();
        } catch (Exception e) {
            String code = code(e);
            if ("NotImplemented".equals(code) || "NoSuchBucketPolicy".equals(code) || "NoSuchPolicy".equals(code)) {
                LOG.debug("MinIO store: the server has no bucket policies ({})", code);
                return;
            }
            throw e;
        }
        if (grantsAnonymousAccess(policy)) {
            client.deleteBucketPolicy(
                            DeleteBucketPolicyArgs.builder().bucket(bucket).build())
                    .get();
            LOG.warn("MinIO store: the bucket {} allowed anonymous access; its policy was removed", bucket);
        }
    }

    /** Whether a bucket policy lets anyone ({@code "Principal": "*"} or {@code {"AWS": "*"}}) do something. */
    static boolean grantsAnonymousAccess(String policy) {
        if (policy == null || policy.isBlank()) {
            return false;
        }
        try {
            JsonNode statements = JSON.readTree(policy).path("Statement");
            for (JsonNode s :
                    statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
                if (!"Allow".equalsIgnoreCase(s.path("Effect").asText())) {
                    continue;
                }
                JsonNode principal = s.path("Principal");
                JsonNode aws = principal.path("AWS");
                if ("*".equals(principal.asText())
                        || "*".equals(aws.asText())
                        || (aws.isArray() && aws.toString().contains("\"*\""))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // unreadable: do not trust it
        }
    }

    // --- objects

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutOptions options) {
        ObjectKeys.check(key);
        Objects.requireNonNull(data, "data");
        if (length < -1) {
            throw KaryoException.invalid("length", "must be the exact length, or -1 when unknown");
        }
        PutOptions o = options == null ? PutOptions.DEFAULT : options;
        ensureBucket();
        StreamDigests d = new StreamDigests();
        try {
            if (length >= 0 && length <= singlePutMax) {
                s3.put(key, Map.of(), metadata(o.sha256()), o.contentType(), data, length, d, o.sha256());
            } else {
                putInParts(key, data, length, o, d);
            }
        } catch (Failures.Truncated e) {
            throw Failures.truncated(e.received, length);
        } catch (Exception e) {
            throw Failures.map(e, "put an object", key, null);
        }
        return finish(key, d, o);
    }

    /** Adds the digests to the object's metadata when they were not declared, and reports it. */
    private ObjectInfo finish(String key, StreamDigests d, PutOptions o) {
        try {
            if (o.sha256() == null && d.count() <= MAX_COPY) {
                Map<String, String> headers = new HashMap<>();
                headers.put("Content-Type", o.contentType() == null ? "application/octet-stream" : o.contentType());
                client.copyObject(CopyObjectArgs.builder()
                                .bucket(settings.bucket())
                                .object(key)
                                .source(CopySource.builder()
                                        .bucket(settings.bucket())
                                        .object(key)
                                        .build())
                                .headers(headers)
                                .userMetadata(Map.of(META_SHA256, d.sha256(), META_MD5, d.md5()))
                                .metadataDirective(Directive.REPLACE)
                                .build())
                        .get();
            }
            StatObjectResponse s = statResponse(key);
            return new ObjectInfo(key, s.size(), unquote(s.etag()), instant(s.lastModified()), d.sha256(), d.md5());
        } catch (Exception e) {
            throw Failures.map(e, "record the digests of an object", key, null);
        }
    }

    /** A multipart upload of the data: one part in memory at a time when the length is unknown. */
    private void putInParts(String key, InputStream data, long length, PutOptions o, StreamDigests d) throws Exception {
        long partSize = settings.partSize();
        if (length > 0) {
            partSize = Math.max(partSize, (length + MAX_PARTS - 1) / MAX_PARTS);
        }
        byte[] buffer = length < 0 ? new byte[(int) Math.min(partSize, Integer.MAX_VALUE - 16)] : null;
        if (buffer != null) {
            int n = fill(data, buffer);
            if (n < buffer.length) {
                // it fits one part: a single PUT of what was read
                d.update(buffer, 0, n);
                if (o.sha256() != null && !o.sha256().equals(d.sha256())) {
                    throw new Failures.ChecksumMismatch();
                }
                s3.put(
                        key,
                        Map.of(),
                        metadata(o.sha256()),
                        o.contentType(),
                        new ByteArrayInputStream(buffer, 0, n),
                        n,
                        null,
                        null);
                return;
            }
            MultipartUpload upload = startMultipart(key, o);
            byte[] spare = new byte[buffer.length];
            try {
                List<Part> parts = new ArrayList<>();
                int filled = n;
                for (int number = 1; ; number++) {
                    if (number > MAX_PARTS) {
                        throw new KaryoException(
                                Kind.TOO_LARGE,
                                "too-large",
                                "The object is larger than " + MAX_PARTS + " parts of " + buffer.length + " bytes",
                                null,
                                null,
                                null);
                    }
                    // look one part ahead: the last part is checked before it is sent
                    int nextFilled = fill(data, spare);
                    d.update(buffer, 0, filled);
                    boolean last = nextFilled == 0;
                    if (last && o.sha256() != null && !o.sha256().equals(d.sha256())) {
                        throw new Failures.ChecksumMismatch();
                    }
                    String etag = s3.put(
                            key,
                            partQuery(upload.uploadId(), number),
                            Map.of(),
                            null,
                            new ByteArrayInputStream(buffer, 0, filled),
                            filled,
                            null,
                            null);
                    parts.add(new Part(number, etag));
                    if (last) {
                        break;
                    }
                    byte[] sent = buffer;
                    buffer = spare;
                    spare = sent;
                    filled = nextFilled;
                }
                complete(upload, parts);
            } catch (Exception e) {
                abortQuietly(upload);
                throw e;
            }
            return;
        }
        MultipartUpload upload = startMultipart(key, o);
        try {
            List<Part> parts = new ArrayList<>();
            long left = length;
            for (int number = 1; left > 0; number++) {
                long size = Math.min(partSize, left);
                boolean last = size == left;
                String etag;
                if (last && o.sha256() != null) {
                    // the last part is read whole and checked before it is sent: a mismatch leaves no part request
                    // half-sent while the upload is aborted (a server might still be storing it)
                    byte[] tail = new byte[(int) size];
                    int n = fill(data, tail);
                    if (n < size) {
                        throw new Failures.Truncated(length - left + n);
                    }
                    d.update(tail, 0, n);
                    if (!o.sha256().equals(d.sha256())) {
                        throw new Failures.ChecksumMismatch();
                    }
                    etag = s3.put(
                            key,
                            partQuery(upload.uploadId(), number),
                            Map.of(),
                            null,
                            new ByteArrayInputStream(tail),
                            n,
                            null,
                            null);
                } else {
                    etag = s3.put(key, partQuery(upload.uploadId(), number), Map.of(), null, data, size, d, null);
                }
                parts.add(new Part(number, etag));
                left -= size;
            }
            complete(upload, parts);
        } catch (Exception e) {
            abortQuietly(upload);
            throw e;
        }
    }

    /** Reads until {@code buffer} is full or the data ends; how many bytes were read. */
    private static int fill(InputStream data, byte[] buffer) throws IOException {
        int n = 0;
        while (n < buffer.length) {
            int r;
            try {
                r = data.read(buffer, n, buffer.length - n);
            } catch (IOException e) {
                throw new Failures.SourceFailed(e);
            }
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.check(key);
        ensureBucket();
        try {
            StatObjectResponse s = statResponse(key);
            Map<String, String> meta = lower(s.userMetadata());
            return Optional.of(new ObjectInfo(
                    key,
                    s.size(),
                    unquote(s.etag()),
                    instant(s.lastModified()),
                    meta.get(META_SHA256),
                    meta.get(META_MD5)));
        } catch (Exception e) {
            if ("NoSuchKey".equals(code(e)) || "NoSuchObject".equals(code(e))) {
                return Optional.empty();
            }
            throw Failures.map(e, "stat an object", key, null);
        }
    }

    private StatObjectResponse statResponse(String key) throws Exception {
        return client.statObject(StatObjectArgs.builder()
                        .bucket(settings.bucket())
                        .object(key)
                        .build())
                .get();
    }

    @Override
    public InputStream get(String key) {
        return get(key, 0, -1);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        ObjectKeys.check(key);
        if (offset < 0) {
            throw KaryoException.invalid("offset", "must not be negative");
        }
        ensureBucket();
        try {
            if (length == 0) {
                StatObjectResponse s = statResponse(key);
                if (offset > 0 && offset >= s.size()) {
                    throw Failures.rangeNotSatisfiable(offset);
                }
                return InputStream.nullInputStream();
            }
            GetObjectArgs.Builder args =
                    GetObjectArgs.builder().bucket(settings.bucket()).object(key);
            if (offset > 0 || length > 0) {
                args.offset(offset);
            }
            if (length > 0) {
                args.length(length);
            }
            try {
                return client.getObject(args.build()).get();
            } catch (Exception e) {
                if (offset == 0 && "InvalidRange".equals(code(e))) {
                    statResponse(key); // an empty object, unless it is missing
                    return InputStream.nullInputStream();
                }
                throw e;
            }
        } catch (Exception e) {
            throw Failures.map(e, "get an object", key, null);
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.check(key);
        ensureBucket();
        try {
            client.removeObject(RemoveObjectArgs.builder()
                            .bucket(settings.bucket())
                            .object(key)
                            .build())
                    .get();
        } catch (Exception e) {
            if ("NoSuchKey".equals(code(e))) {
                return;
            }
            throw Failures.map(e, "delete an object", key, null);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int max) {
        String p = ObjectKeys.checkPrefix(prefix);
        if (max < 1) {
            throw KaryoException.invalid("max", "must be at least 1");
        }
        ensureBucket();
        // ListObjects v1: its marker is exactly startAfter, and every S3 server has it (s3proxy refuses v2's
        // start-after together with a continuation token)
        ListObjectsArgs.Builder args = ListObjectsArgs.builder()
                .bucket(settings.bucket())
                .prefix(p)
                .recursive(true)
                .useApiVersion1(true)
                .maxKeys(Math.min(max, 1000));
        if (startAfter != null && !startAfter.isEmpty()) {
            args.marker(startAfter);
        }
        List<ObjectInfo> found = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(args.build())) {
                Item item = r.get();
                if (item.isDir() || !item.objectName().startsWith(p)) {
                    continue;
                }
                found.add(new ObjectInfo(
                        item.objectName(),
                        item.size(),
                        unquote(item.etag()),
                        instant(item.lastModified()),
                        null,
                        null));
                if (found.size() >= max) {
                    break;
                }
            }
        } catch (Exception e) {
            throw Failures.map(e, "list objects", p, null);
        }
        return found;
    }

    // --- multipart

    @Override
    public MultipartUpload startMultipart(String key, PutOptions options) {
        ObjectKeys.check(key);
        PutOptions o = options == null ? PutOptions.DEFAULT : options;
        ensureBucket();
        com.google.common.collect.Multimap<String, String> headers = com.google.common.collect.HashMultimap.create();
        if (o.contentType() != null) {
            headers.put("Content-Type", o.contentType());
        }
        metadata(o.sha256()).forEach(headers::put);
        try {
            String id = client.createMultipartUploadAsync(settings.bucket(), null, key, headers, null)
                    .get()
                    .result()
                    .uploadId();
            liveUploads.add(id);
            return new MultipartUpload(key, id);
        } catch (Exception e) {
            throw Failures.map(e, "start a multipart upload", key, null);
        }
    }

    @Override
    public PartInfo putPart(MultipartUpload upload, int partNumber, InputStream data, long length) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        checkPartNumber(partNumber);
        Objects.requireNonNull(data, "data");
        if (length < -1) {
            throw KaryoException.invalid("length", "must be the exact length, or -1 when unknown");
        }
        ensureBucket();
        try {
            // some servers (s3proxy) store a part of an unknown or aborted upload instead of answering NoSuchUpload
            if (!liveUploads.contains(upload.uploadId())) {
                if (!exists(upload)) {
                    throw KaryoException.notFound("multipart upload", upload.uploadId());
                }
                liveUploads.add(upload.uploadId());
            }
            InputStream in = data;
            long size = length;
            if (length < 0) {
                // S3 needs a part's length up front: hold one part of unknown length in memory, up to the part size
                byte[] buffer = new byte[(int) settings.partSize()];
                int n = fill(data, buffer);
                if (n == buffer.length && data.read() >= 0) {
                    throw KaryoException.invalid(
                            "length",
                            "a part of unknown length may hold at most " + settings.partSize()
                                    + " bytes; send its length");
                }
                in = new ByteArrayInputStream(buffer, 0, n);
                size = n;
            }
            // no digest of a part: S3 takes it unsigned, and the whole object's checksums are the caller's business
            // (SHA-256 and MD5 cost more CPU than the transfer itself on a small machine)
            String etag = s3.put(
                    upload.key(), partQuery(upload.uploadId(), partNumber), Map.of(), null, in, size, null, null);
            return new PartInfo(partNumber, etag, size, Instant.now());
        } catch (Failures.Truncated e) {
            throw Failures.truncated(e.received, length);
        } catch (Exception e) {
            throw Failures.map(e, "store a part", upload.key(), upload.uploadId());
        }
    }

    @Override
    public List<PartInfo> listParts(MultipartUpload upload) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        ensureBucket();
        try {
            List<S3Http.ListedPart> parts = s3.listParts(upload.key(), upload.uploadId());
            if (parts.isEmpty() && !exists(upload)) {
                // some servers (s3proxy) list no parts for an unknown upload instead of answering NoSuchUpload
                throw KaryoException.notFound("multipart upload", upload.uploadId());
            }
            return parts.stream()
                    .map(p -> new PartInfo(p.number(), p.etag(), p.size(), p.lastModified()))
                    .sorted(Comparator.comparingInt(PartInfo::partNumber))
                    .toList();
        } catch (Exception e) {
            throw Failures.map(e, "list parts", upload.key(), upload.uploadId());
        }
    }

    private boolean exists(MultipartUpload upload) throws IOException {
        return s3.listUploads(upload.key()).stream()
                .anyMatch(u -> u.key().equals(upload.key()) && u.uploadId().equals(upload.uploadId()));
    }

    @Override
    public ObjectInfo completeMultipart(MultipartUpload upload, List<PartInfo> parts) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        if (parts == null || parts.isEmpty()) {
            throw KaryoException.invalid("parts", "must name at least one part");
        }
        int previous = 0;
        List<Part> joined = new ArrayList<>();
        for (PartInfo p : parts) {
            if (p.partNumber() <= previous || p.etag() == null) {
                throw KaryoException.invalid("parts", "must be in increasing part-number order, each once, with etags");
            }
            previous = p.partNumber();
            joined.add(new Part(p.partNumber(), unquote(p.etag())));
        }
        ensureBucket();
        String key = upload.key();
        try {
            complete(upload, joined);
            liveUploads.remove(upload.uploadId());
            StatObjectResponse s = statResponse(key);
            String declared = lower(s.userMetadata()).get(META_SHA256);
            String sha256 = null;
            String md5 = null;
            if (declared != null) {
                // check the declared digest on what the server joined: one read of the object
                StreamDigests d = new StreamDigests();
                try (InputStream in = client.getObject(GetObjectArgs.builder()
                                .bucket(settings.bucket())
                                .object(key)
                                .build())
                        .get()) {
                    byte[] buffer = new byte[256 * 1024];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        d.update(buffer, 0, n);
                    }
                }
                if (!declared.equals(d.sha256())) {
                    delete(key);
                    throw Failures.checksumMismatch();
                }
                sha256 = d.sha256();
                md5 = d.md5();
            }
            return new ObjectInfo(key, s.size(), unquote(s.etag()), instant(s.lastModified()), sha256, md5);
        } catch (Exception e) {
            throw Failures.map(e, "complete a multipart upload", key, upload.uploadId());
        }
    }

    private void complete(MultipartUpload upload, List<Part> parts) throws Exception {
        client.completeMultipartUploadAsync(
                        settings.bucket(),
                        null,
                        upload.key(),
                        upload.uploadId(),
                        parts.toArray(new Part[0]),
                        null,
                        null)
                .get();
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        ensureBucket();
        liveUploads.remove(upload.uploadId());
        try {
            s3.abort(upload.key(), upload.uploadId());
        } catch (Exception e) {
            throw Failures.map(e, "abort a multipart upload", upload.key(), upload.uploadId());
        }
    }

    private void abortQuietly(MultipartUpload upload) {
        try {
            abortMultipart(upload);
        } catch (KaryoException e) {
            LOG.warn("MinIO store: a failed upload could not be aborted; the sweeper aborts it once it is stale");
        }
    }

    @Override
    public List<PendingUpload> listMultipartUploads(String prefix) {
        String p = ObjectKeys.checkPrefix(prefix);
        ensureBucket();
        List<PendingUpload> found = new ArrayList<>();
        try {
            for (S3Http.ListedUpload u : s3.listUploads(p)) {
                if (u.key().startsWith(p)) {
                    found.add(new PendingUpload(
                            new MultipartUpload(u.key(), u.uploadId()),
                            u.initiated() == null ? Instant.EPOCH : u.initiated()));
                }
            }
        } catch (Exception e) {
            throw Failures.map(e, "list multipart uploads", p, null);
        }
        found.sort(Comparator.comparing((PendingUpload u) -> u.upload().key())
                .thenComparing(PendingUpload::initiated)
                .thenComparing(u -> u.upload().uploadId()));
        return found;
    }

    /** S3 keeps no files of unfinished writes here: its unfinished uploads are {@link #listMultipartUploads}'. */
    @Override
    public Leftovers removeLeftovers(Instant before, boolean dryRun) {
        return Leftovers.NONE;
    }

    // --- presigned URLs

    @Override
    public URI presignGet(String key, Duration expiry, String downloadName) {
        ObjectKeys.check(key);
        checkDownloadName(downloadName);
        Map<String, String> query = new LinkedHashMap<>();
        if (downloadName != null) {
            query.put("response-content-disposition", contentDisposition(downloadName));
        }
        return presign(Method.GET, key, query, expiry);
    }

    @Override
    public URI presignPut(String key, Duration expiry) {
        ObjectKeys.check(key);
        return presign(Method.PUT, key, Map.of(), expiry);
    }

    @Override
    public URI presignPart(MultipartUpload upload, int partNumber, long length, Duration expiry) {
        Objects.requireNonNull(upload, "upload");
        ObjectKeys.check(upload.key());
        checkPartNumber(partNumber);
        checkExpiry(expiry);
        if (length < 0) {
            throw KaryoException.invalid("length", "must be the part's length in bytes");
        }
        // signed with its Content-Length: the server refuses a body of any other length
        return s3.presignPart(upload.key(), upload.uploadId(), partNumber, length, expiry, Instant.now());
    }

    private static void checkExpiry(Duration expiry) {
        if (expiry == null || expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw KaryoException.invalid("expiry", "must be between 1 second and 7 days");
        }
    }

    private URI presign(Method method, String key, Map<String, String> query, Duration expiry) {
        checkExpiry(expiry);
        try {
            return URI.create(presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(method)
                    .bucket(settings.bucket())
                    .object(key)
                    .expiry((int) Math.max(1, expiry.toSeconds()))
                    .extraQueryParams(query)
                    .build()));
        } catch (Exception e) {
            throw Failures.map(e, "presign a URL", key, null);
        }
    }

    // --- helpers

    private static Map<String, String> partQuery(String uploadId, int partNumber) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("partNumber", Integer.toString(partNumber));
        q.put("uploadId", uploadId);
        return q;
    }

    private static Map<String, String> metadata(String sha256) {
        return sha256 == null ? Map.of() : Map.of("x-amz-meta-" + META_SHA256, sha256);
    }

    static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw KaryoException.invalid("part_number", "must be between 1 and " + MAX_PARTS);
        }
    }

    static void checkDownloadName(String name) {
        if (name == null) {
            return;
        }
        if (name.isBlank() || name.length() > 255) {
            throw KaryoException.invalid("download_name", "must be a file name of 1 to 255 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '"' || c == '/' || c == '\\') {
                throw KaryoException.invalid("download_name", "must not hold control characters, quotes, / or \\");
            }
        }
    }

    /** RFC 6266: an ASCII fallback and the UTF-8 name. */
    static String contentDisposition(String filename) {
        StringBuilder ascii = new StringBuilder();
        for (char c : filename.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        String utf8 = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }

    private static Map<String, String> lower(Map<String, String> m) {
        Map<String, String> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        }
        return out;
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    private static Instant instant(ZonedDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** The S3 error code of a failure, or {@code null}. */
    private static String code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ErrorResponseException e && e.errorResponse() != null) {
                return e.errorResponse().code();
            }
            if (c instanceof Failures.S3Error e) {
                return e.code;
            }
        }
        return null;
    }
}
