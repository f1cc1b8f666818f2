package org.karyo.storage.minio.internal;

import io.minio.S3Escaper;
import io.minio.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.karyo.storage.api.StreamDigests;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The S3 requests this store signs itself (AWS signature v4, path-style), where the MinIO SDK does not fit.
 *
 * <p>{@link #put}: a {@code PUT} (an object, or a part of a multipart upload) whose body streams from the caller's
 * data to the server without being held in memory, with an unsigned payload ({@code UNSIGNED-PAYLOAD}) and a known
 * {@code Content-Length}. The SDK cannot do this (it reads a whole part into memory to sign its SHA-256), which would
 * double the time of an upload that passes through Karyo. The SHA-256 and MD5 are computed as the bytes pass. When the
 * data must match a declared SHA-256, the last chunk is held back until the digest is checked, so a mismatch aborts
 * the request before the server has the whole body: nothing is stored, and an object already at the key stays as it
 * was.
 *
 * <p>{@link #presignPart}: a presigned UploadPart URL (signature v4 in the query) that signs the {@code Content-Length}
 * header besides the host, so that the server itself refuses a body of any other length (the SDK's presigned URLs sign
 * the host only, which lets whoever holds the URL store a part of any size).
 *
 * <p>{@link #listParts}, {@link #listUploads} and {@link #abort}: the SDK's versions send parameters or expect elements
 * that some S3 servers (s3proxy, used by the tests) do not have: its ListParts result requires {@code
 * PartNumberMarker}, its ListMultipartUploads always sends {@code max-uploads}, and an unknown upload id may be a bare
 * {@code 400}. These send only what is needed and read the XML answers leniently.
 */
final class S3Http {
    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final int CHUNK = 64 * 1024;

    private final OkHttpClient http;
    private final MinioSettings settings;

    S3Http(OkHttpClient http, MinioSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /**
     * PUTs {@code length} bytes of {@code data} to {@code key} with the given query ({@code partNumber}, {@code
     * uploadId}) and headers.
     *
     * @param digests updated with every byte sent, or {@code null} for none
     * @param declaredSha256 checked before the last chunk is sent, or {@code null} (needs {@code digests})
     * @return the ETag the server answered, without quotes
     * @throws Failures.ChecksumMismatch when the data does not match {@code declaredSha256}
     * @throws Failures.Truncated when the data ends early
     * @throws Failures.SourceFailed when reading the data fails
     * @throws Failures.S3Error when the server refuses
     */
    String put(
            String key,
            Map<String, String> query,
            Map<String, String> headers,
            String contentType,
            InputStream data,
            long length,
            StreamDigests digests,
            String declaredSha256)
            throws IOException {
        Request.Builder b = request(key, query, UNSIGNED);
        headers.forEach(b::header);
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        b.put(new Body(data, length, type, digests, declaredSha256));
        Request signed = sign(b.build(), UNSIGNED);
        try (Response r = http.newCall(signed).execute()) {
            if (r.isSuccessful()) {
                String etag = r.header("ETag", "");
                return etag.replace("\"", "");
            }
            throw error(r);
        }
    }

    /**
     * A URL for clients (at the public endpoint) to PUT part {@code partNumber} of an upload, with a body of exactly
     * {@code length} bytes, until {@code expiry} from {@code now}: AWS signature v4 query parameters with
     * {@code X-Amz-SignedHeaders=content-length;host} and an unsigned payload.
     */
    URI presignPart(String key, String uploadId, int partNumber, long length, Duration expiry, Instant now) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        String amzDate = at.format(AMZ_DATE);
        String day = amzDate.substring(0, 8);
        String scope = day + "/" + settings.region() + "/s3/aws4_request";
        HttpUrl u = HttpUrl.get(settings.publicEndpoint().toString());
        boolean defaultPort = (u.isHttps() && u.port() == 443) || (!u.isHttps() && u.port() == 80);
        String host = defaultPort ? u.host() : u.host() + ":" + u.port();
        Map<String, String> query = new TreeMap<>();
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", settings.accessKey() + "/" + scope);
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(Math.max(1, expiry.toSeconds())));
        query.put("X-Amz-SignedHeaders", "content-length;host");
        query.put("partNumber", Integer.toString(partNumber));
        query.put("uploadId", uploadId);
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((k, v) -> canonicalQuery
                .append(canonicalQuery.length() == 0 ? "" : "&")
                .append(S3Escaper.encode(k))
                .append('=')
                .append(S3Escaper.encode(v)));
        String basePath = u.encodedPath().endsWith("/") ? u.encodedPath() : u.encodedPath() + "/";
        String canonicalPath = basePath + S3Escaper.encodePath(settings.bucket()) + "/" + S3Escaper.encodePath(key);
        String canonicalRequest = String.join(
                "\n",
                "PUT",
                canonicalPath,
                canonicalQuery,
                "content-length:" + length,
                "host:" + host,
                "",
                "content-length;host",
                UNSIGNED);
        String stringToSign = String.join(
                "\n",
                "AWS4-HMAC-SHA256",
                amzDate,
                scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key4 = hmac(("AWS4" + settings.secretKey()).getBytes(StandardCharsets.UTF_8), day);
        key4 = hmac(key4, settings.region());
        key4 = hmac(key4, "s3");
        key4 = hmac(key4, "aws4_request");
        String signature = hex(hmac(key4, stringToSign));
        return URI.create(
                u.scheme() + "://" + host + canonicalPath + "?" + canonicalQuery + "&X-Amz-Signature=" + signature);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not usable in this JVM", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not usable in this JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A part of a multipart upload as the server lists it. */
    record ListedPart(int number, String etag, long size, Instant lastModified) {}

    /** An upload in progress as the server lists it. */
    record ListedUpload(String key, String uploadId, Instant initiated) {}

    /** Every part the upload received (ListParts, following {@code NextPartNumberMarker}). */
    List<ListedPart> listParts(String key, String uploadId) throws IOException {
        List<ListedPart> parts = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < 100; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("uploadId", uploadId);
            if (marker != null) {
                query.put("part-number-marker", marker);
            }
            Element root = getXml(key, query);
            for (Element p : children(root, "Part")) {
                parts.add(new ListedPart(
                        Integer.parseInt(text(p, "PartNumber")),
                        text(p, "ETag").replace("\"", ""),
                        Long.parseLong(text(p, "Size")),
                        instant(text(p, "LastModified"))));
            }
            String next = text(root, "NextPartNumberMarker");
            if (!"true".equals(text(root, "IsTruncated")) || next.isEmpty() || next.equals(marker)) {
                break;
            }
            marker = next;
        }
        return parts;
    }

    /** The uploads in progress under {@code prefix} (ListMultipartUploads, following the markers when truncated). */
    List<ListedUpload> listUploads(String prefix) throws IOException {
        List<ListedUpload> uploads = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int page = 0; page < 1000; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("uploads", null);
            query.put("prefix", prefix);
            if (keyMarker != null) {
                query.put("key-marker", keyMarker);
                query.put("upload-id-marker", idMarker);
            }
            Element root = getXml(null, query);
            for (Element u : children(root, "Upload")) {
                uploads.add(new ListedUpload(text(u, "Key"), text(u, "UploadId"), instant(text(u, "Initiated"))));
            }
            String nextKey = text(root, "NextKeyMarker");
            if (!"true".equals(text(root, "IsTruncated")) || nextKey.isEmpty()) {
                break;
            }
            keyMarker = nextKey;
            idMarker = text(root, "NextUploadIdMarker");
        }
        return uploads;
    }

    /**
     * Aborts a multipart upload (AbortMultipartUpload).
     *
     * @return false when the server does not know the upload (404, or a bare 400 for an id it cannot parse)
     */
    boolean abort(String key, String uploadId) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uploadId", uploadId);
        Request signed = sign(request(key, query, EMPTY_SHA256).delete().build(), EMPTY_SHA256);
        try (Response r = http.newCall(signed).execute()) {
            if (r.isSuccessful()) {
                return true;
            }
            Failures.S3Error e = error(r);
            if (r.code() == 404 || "NoSuchUpload".equals(e.code) || (r.code() == 400 && e.code.startsWith("HTTP"))) {
                return false;
            }
            throw e;
        }
    }

    private Element getXml(String key, Map<String, String> query) throws IOException {
        Request signed = sign(request(key, query, EMPTY_SHA256).get().build(), EMPTY_SHA256);
        try (Response r = http.newCall(signed).execute()) {
            if (!r.isSuccessful()) {
                throw error(r);
            }
            ResponseBody body = r.body();
            try (InputStream in = body == null ? InputStream.nullInputStream() : body.byteStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                f.setXIncludeAware(false);
                f.setExpandEntityReferences(false);
                f.setNamespaceAware(false);
                return f.newDocumentBuilder().parse(in).getDocumentElement();
            } catch (ParserConfigurationException | SAXException e) {
                throw new IOException("the server's answer is not S3 XML", e);
            }
        }
    }

    private Request.Builder request(String key, Map<String, String> query, String contentSha256) {
        HttpUrl base = HttpUrl.get(settings.endpoint().toString());
        HttpUrl.Builder url = base.newBuilder().addPathSegment(settings.bucket());
        if (key != null) {
            url.addPathSegments(key);
        }
        query.forEach(
                (k, v) -> url.addEncodedQueryParameter(S3Escaper.encode(k), v == null ? null : S3Escaper.encode(v)));
        HttpUrl u = url.build();
        boolean defaultPort = (u.isHttps() && u.port() == 443) || (!u.isHttps() && u.port() == 80);
        return new Request.Builder()
                .url(u)
                .header("Host", defaultPort ? u.host() : u.host() + ":" + u.port())
                .header("x-amz-date", ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE))
                .header("x-amz-content-sha256", contentSha256);
    }

    private Request sign(Request request, String contentSha256) {
        try {
            return Signer.signV4S3(
                    request, settings.region(), settings.accessKey(), settings.secretKey(), contentSha256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not usable in this JVM", e);
        }
    }

    private static Failures.S3Error error(Response r) throws IOException {
        ResponseBody body = r.body();
        String text = body == null ? "" : body.string();
        Matcher m = CODE.matcher(text.length() > 8192 ? text.substring(0, 8192) : text);
        return new Failures.S3Error(m.find() ? m.group(1) : "HTTP" + r.code(), r.code());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** The text of the first child element {@code name}, or "". */
    private static String text(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? "" : c.get(0).getTextContent().strip();
    }

    private static Instant instant(String iso) {
        try {
            return iso.isEmpty() ? null : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Exactly {@code length} bytes of the caller's data, digested on the way when {@code digests} is given. */
    private static final class Body extends RequestBody {
        private final InputStream data;
        private final long length;
        private final MediaType type;
        private final StreamDigests digests;
        private final String declaredSha256;

        Body(InputStream data, long length, MediaType type, StreamDigests digests, String declaredSha256) {
            this.data = data;
            this.length = length;
            this.type = type;
            this.digests = digests;
            this.declaredSha256 = declaredSha256;
        }

        @Override
        public MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] buffer = new byte[CHUNK];
            long left = length;
            while (left > 0) {
                int n;
                try {
                    n = data.read(buffer, 0, (int) Math.min(buffer.length, left));
                } catch (IOException e) {
                    throw new Failures.SourceFailed(e);
                }
                if (n < 0) {
                    throw new Failures.Truncated(length - left);
                }
                if (digests != null) {
                    digests.update(buffer, 0, n);
                }
                left -= n;
                if (left == 0 && declaredSha256 != null && !declaredSha256.equals(digests.sha256())) {
                    throw new Failures.ChecksumMismatch(); // the last chunk is never sent
                }
                sink.write(buffer, 0, n);
            }
        }
    }
}
