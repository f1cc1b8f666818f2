package org.karyo.storage.api;

import java.util.Locale;

/**
 * How to store an object.
 *
 * @param contentType the media type stored with the object, or {@code null} for {@code application/octet-stream}
 * @param sha256 the SHA-256 (lower-case hex) the client declared, checked while streaming; {@code null} for none
 */
public record PutOptions(String contentType, String sha256) {
    public static final PutOptions DEFAULT = new PutOptions(null, null);

    public PutOptions {
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits");
            }
        }
    }

    public static PutOptions contentType(String contentType) {
        return new PutOptions(contentType, null);
    }
}
