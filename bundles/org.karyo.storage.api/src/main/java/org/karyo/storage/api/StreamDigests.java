package org.karyo.storage.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and MD5 of the same bytes, computed as they pass: the checksums every store reports in {@link ObjectInfo},
 * computed the same way by each. Not thread-safe; one per stream.
 */
public final class StreamDigests {
    private final MessageDigest sha256 = md("SHA-256");
    private final MessageDigest md5 = md("MD5");
    private long count;

    /** Fresh digests. */
    public StreamDigests() {
        // both digests start empty
    }

    private String sha256Hex;
    private String md5Hex;

    /** Adds bytes. */
    public void update(byte[] b, int off, int len) {
        sha256.update(b, off, len);
        md5.update(b, off, len);
        count += len;
    }

    /** How many bytes were added. */
    public long count() {
        return count;
    }

    /** The SHA-256 of the bytes added, in lower-case hex; no bytes may be added after. */
    public String sha256() {
        finish();
        return sha256Hex;
    }

    /** The MD5 of the bytes added, in lower-case hex; no bytes may be added after. */
    public String md5() {
        finish();
        return md5Hex;
    }

    private void finish() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
            md5Hex = HexFormat.of().formatHex(md5.digest());
        }
    }

    private static MessageDigest md(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
