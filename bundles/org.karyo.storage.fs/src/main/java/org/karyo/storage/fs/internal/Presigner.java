package org.karyo.storage.fs.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.karyo.api.KaryoException;

/**
 * The filesystem store's presigned URLs, which Karyo itself serves ({@link PresignedResource}):
 * {@code <public url>/api/storage/presigned/objects/<key>?[uploadId=&partNumber=&length=&][filename=&]expires=&signature=}.
 * The signature is HMAC-SHA256 (base64url) over the method, the key, the upload id, the part number, the part's
 * length, the download name and the expiry (epoch seconds), so a URL lets its holder do exactly one thing to one key
 * until it expires: a part URL stores a body of that length only.
 */
final class Presigner {
    static final String PATH = "api/storage/presigned/objects/";
    static final Duration MAX_EXPIRY = Duration.ofDays(7);
    private static final String VERSION = "karyo-presigned-v2";
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final String base;
    private final Clock clock;

    /**
     * @param key the HMAC key (at least 32 bytes)
     * @param publicUrl the base URL clients reach Karyo at, without a trailing slash
     */
    Presigner(byte[] key, URI publicUrl, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the signing key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        String b = publicUrl.toString();
        this.base = b.endsWith("/") ? b : b + "/";
        this.clock = clock;
    }

    URI get(String objectKey, Duration expiry, String downloadName) {
        checkDownloadName(downloadName);
        return url("GET", objectKey, null, 0, -1, downloadName, expiry);
    }

    URI put(String objectKey, Duration expiry) {
        return url("PUT", objectKey, null, 0, -1, null, expiry);
    }

    URI part(String objectKey, String uploadId, int partNumber, long length, Duration expiry) {
        if (length < 0) {
            throw KaryoException.invalid("length", "must be the part's length in bytes");
        }
        return url("PUT", objectKey, uploadId, partNumber, length, null, expiry);
    }

    /**
     * Checks a presigned request.
     *
     * @throws KaryoException FORBIDDEN when the signature is missing, wrong or expired
     */
    void verify(
            String method,
            String objectKey,
            String uploadId,
            String partNumber,
            String length,
            String downloadName,
            String expires,
            String signature) {
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw invalidLink();
        }
        if (signature == null || signature.isEmpty()) {
            throw invalidLink();
        }
        String expected = sign(canonical(method, objectKey, uploadId, partNumber, length, downloadName, expiresAt));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            throw invalidLink();
        }
        if (clock.instant().getEpochSecond() >= expiresAt) {
            throw KaryoException.forbidden("This link has expired");
        }
    }

    private URI url(
            String method,
            String objectKey,
            String uploadId,
            int partNumber,
            long length,
            String downloadName,
            Duration expiry) {
        if (expiry == null || expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw KaryoException.invalid("expiry", "must be between 1 second and 7 days");
        }
        long expiresAt = clock.instant().getEpochSecond() + Math.max(1, expiry.toSeconds());
        String part = uploadId == null ? null : Integer.toString(partNumber);
        String size = length < 0 ? null : Long.toString(length);
        String signature = sign(canonical(method, objectKey, uploadId, part, size, downloadName, expiresAt));
        StringBuilder url =
                new StringBuilder(base).append(PATH).append(objectKey).append('?');
        if (uploadId != null) {
            url.append("uploadId=")
                    .append(encode(uploadId))
                    .append("&partNumber=")
                    .append(part)
                    .append('&');
        }
        if (size != null) {
            url.append("length=").append(size).append('&');
        }
        if (downloadName != null) {
            url.append("filename=").append(encode(downloadName)).append('&');
        }
        url.append("expires=").append(expiresAt).append("&signature=").append(signature);
        return URI.create(url.toString());
    }

    private static String canonical(
            String method,
            String objectKey,
            String uploadId,
            String partNumber,
            String length,
            String downloadName,
            long expires) {
        return String.join(
                "\n",
                VERSION,
                method,
                objectKey,
                nz(uploadId),
                nz(partNumber),
                nz(length),
                nz(downloadName),
                Long.toString(expires));
    }

    private String sign(String canonical) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(HMAC + " is not usable in this JVM", e);
        }
    }

    /** A download name: a file name, no folders, no control characters or quotes. */
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

    private static KaryoException invalidLink() {
        return KaryoException.forbidden("This link is not valid");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
