package org.karyo.auth.rest.internal;

/**
 * A new TOTP secret, shown once: as an {@code otpauth://totp/...} URI (for a QR code) and in base32 (to type in). It
 * takes effect only once confirmed with a current code.
 */
public record MfaEnrolmentJson(String otpauthUri, String secret) {
    @Override
    public String toString() {
        return "MfaEnrolmentJson[]";
    }
}
